using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CfTasks.Client.Api;
using CfTasks.Client.Errors;
using CfTasks.Client.Http;
using CfTasks.Client.Models;

namespace CfTasks.Client.Services;

/// <summary>
/// Reads LOG envelopes of one source (an app guid) from log-cache and turns them into <see cref="CfLogEntry"/>s.
/// Walks a time window forwards or backwards past log-cache's 1000-per-request limit and halves the limit while
/// log-cache answers 429 (as the cf CLI does). A 404 that remains after the auth handler renewed the token once means
/// the app's logs are not there for this caller.
/// </summary>
internal sealed class LogWindowReader
{
    /// <summary>log-cache's largest page.</summary>
    public const int MaxLimit = 1000;

    private static readonly string[] LogEnvelopes = ["LOG"];
    private readonly ILogCacheApi _api;
    private readonly string _sourceId;
    private readonly TimeProvider _time;
    private int _limit;

    public LogWindowReader(ILogCacheApi api, string sourceId, int limit = MaxLimit, TimeProvider? time = null)
    {
        _api = api;
        _sourceId = sourceId;
        _limit = Math.Clamp(limit, 1, MaxLimit);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The page size in use (lower after log-cache answered 429).</summary>
    public int Limit => _limit;

    /// <summary>How many read requests were sent (diagnostics and tests).</summary>
    public int Requests { get; private set; }

    /// <summary>
    /// Every entry with <paramref name="startNs"/> ≤ time &lt; <paramref name="endNs"/> (open end: up to log-cache's now),
    /// oldest first, a page at a time (the caller owns each list). Pages continue from the last timestamp read
    /// (inclusive, so envelopes sharing the boundary nanosecond are not lost) and the ones already returned at that
    /// nanosecond are skipped.
    /// </summary>
    public async IAsyncEnumerable<List<CfLogEntry>> ReadForwardAsync(long? startNs, long? endNs, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = startNs;
        var atCursor = new HashSet<LogEntryKey>();
        while (true)
        {
            var (page, limit) = await ReadPageAsync(cursor, endNs, descending: false, cancellationToken).ConfigureAwait(false);
            var full = page.Count >= limit;
            var last = page.Count > 0 ? page[^1].TimestampUnixNanoseconds : 0;
            if (atCursor.Count > 0 && page.Count > 0 && page[0].TimestampUnixNanoseconds == cursor)
            {
                var seenBefore = atCursor;
                page.RemoveAll(entry => entry.TimestampUnixNanoseconds == cursor && seenBefore.Contains(LogEntryKey.Of(entry)));
            }
            if (page.Count > 0) yield return page;
            if (!full) yield break;

            if (page.Count == 0)
            {
                // A full page of one nanosecond that brought nothing new cannot make progress: step past it.
                cursor = last + 1;
                atCursor.Clear();
                continue;
            }
            if (last != cursor) atCursor.Clear();
            for (var i = page.Count - 1; i >= 0 && page[i].TimestampUnixNanoseconds == last; i--) atCursor.Add(LogEntryKey.Of(page[i]));
            cursor = last;
        }
    }

    /// <summary>
    /// Entries with <paramref name="startNs"/> ≤ time &lt; <paramref name="endNs"/>, newest first, reading backwards page
    /// by page; the caller stops enumerating when it has enough (no further page is fetched).
    /// </summary>
    public async IAsyncEnumerable<CfLogEntry> ReadBackwardAsync(long? startNs, long? endNs, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var end = endNs;
        var atEnd = new HashSet<LogEntryKey>();
        while (true)
        {
            var (page, limit) = await ReadPageAsync(startNs, end, descending: true, cancellationToken).ConfigureAwait(false);
            var yielded = 0;
            foreach (var entry in page)
            {
                if (end is { } e && entry.TimestampUnixNanoseconds == e - 1 && atEnd.Contains(LogEntryKey.Of(entry))) continue;
                yielded++;
                yield return entry;
            }
            if (page.Count < limit) yield break;

            var oldest = page[^1].TimestampUnixNanoseconds;
            if (yielded == 0)
            {
                // A full page of one nanosecond that brought nothing new cannot make progress: step before it.
                end = oldest;
                atEnd.Clear();
            }
            else
            {
                if (end != oldest + 1) atEnd.Clear();
                foreach (var entry in page)
                    if (entry.TimestampUnixNanoseconds == oldest) atEnd.Add(LogEntryKey.Of(entry));
                end = oldest + 1;
            }
            if (startNs is { } s && end <= s) yield break;
        }
    }

    /// <summary>The newest envelope's time (any source type), or null when the source has none.</summary>
    public async Task<long?> NewestTimestampAsync(CancellationToken cancellationToken)
    {
        var saved = _limit;
        _limit = 1;
        try
        {
            var (page, _) = await ReadPageAsync(null, null, descending: true, cancellationToken).ConfigureAwait(false);
            return page.Count > 0 ? page[0].TimestampUnixNanoseconds : null;
        }
        finally
        {
            _limit = saved;
        }
    }

    /// <summary>One page; returns it with the limit that was asked for (so the caller can tell a full page).</summary>
    private async Task<(List<CfLogEntry> Page, int Limit)> ReadPageAsync(long? startNs, long? endNs, bool descending, CancellationToken cancellationToken)
    {
        var rateLimited = 0;
        while (true)
        {
            var limit = _limit;
            Requests++;
            using var response = await CfCall.RunAsync(ct => _api.Read(_sourceId, descending ? "true" : null, endNs, LogEnvelopes, limit, startNs, ct),
                cancellationToken).ConfigureAwait(false);

            if (response.IsSuccessStatusCode) return (await ParseAsync(response, cancellationToken).ConfigureAwait(false), limit);
            if (response.StatusCode == HttpStatusCode.NotFound) throw CfErrors.LogsNotFound(_sourceId);
            if ((int)response.StatusCode == 429 && rateLimited < 12)
            {
                rateLimited++;
                var halved = Math.Max(1, _limit / 2);
                CfDiagnostics.Verbose($"log-cache answered 429 (too many requests); reading {halved} envelopes per request instead of {_limit}.");
                var wait = RetryAfter.Of(response, MaxRateLimitWait, _time.GetUtcNow()) ?? TimeSpan.FromMilliseconds(Math.Min(2000, 50 * (1 << Math.Min(rateLimited, 6))));
                _limit = halved;
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            throw CfErrors.LogCacheFailed(_sourceId, await CfApiErrors.FromResponseAsync(response, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>The longest a 429's Retry-After is honoured before the next, smaller read.</summary>
    private static readonly TimeSpan MaxRateLimitWait = TimeSpan.FromSeconds(10);

    /// <summary>The largest log-cache page read (1000 envelopes of at most 61,440 bytes each, base64, with their tags).</summary>
    private const int MaxPageBytes = 256 * 1024 * 1024;

    private async Task<List<CfLogEntry>> ParseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        LogCacheReadResponse? body;
        // The page is read whole into one pooled buffer and parsed in one pass: parsing from the stream made the
        // serializer scan the growing buffer again on every refill before the converter could see the page.
        using (var page = await BodyBuffer.ReadAsync(response.Content, MaxPageBytes, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                body = JsonSerializer.Deserialize(page.Span, CfJsonContext.Default.LogCacheReadResponse);
            }
            catch (JsonException error)
            {
                throw CfApiErrors.NotCloudFoundry(response.RequestMessage?.RequestUri, $"the log-cache read answer could not be read ({error.Message})", error);
            }
        }
        var batch = body?.Envelopes?.Batch;
        var entries = new List<CfLogEntry>(batch?.Count ?? 0);
        if (batch is null) return entries;
        foreach (var envelope in batch)
            if (CfObjectMapper.ToLogEntry(envelope, _sourceId) is { } entry) entries.Add(entry);
        return entries;
    }
}

/// <summary>What makes two envelopes the same line: time, source, instance, stream and text.</summary>
internal readonly record struct LogEntryKey(long Timestamp, string SourceType, string InstanceId, string Stream, string Message)
{
    public static LogEntryKey Of(CfLogEntry entry) =>
        new(entry.TimestampUnixNanoseconds, entry.SourceType, entry.InstanceId, entry.Stream, entry.Message);
}
