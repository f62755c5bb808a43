using System.Buffers;
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
/// Walks a time window forwards or backwards past log-cache's 1000-per-request limit, halves the limit while log-cache
/// answers 429 (as the cf CLI does), and treats 404 — log-cache's answer to a rejected token as much as to an unknown
/// or forbidden app — by renewing the token once and asking again before giving up with a clear error.
/// </summary>
internal sealed class LogWindowReader
{
    /// <summary>log-cache's largest page.</summary>
    public const int MaxLimit = 1000;

    private static readonly string[] LogEnvelopes = ["LOG"];
    private readonly CfSession _session;
    private readonly ILogCacheApi _api;
    private readonly string _sourceId;
    private readonly TimeProvider _time;
    private int _limit;

    public LogWindowReader(CfSession session, string sourceId, int limit = MaxLimit, TimeProvider? time = null)
    {
        _session = session;
        _api = session.LogCache ?? throw NoLogCache(session);
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
        var renewed = false;
        var rateLimited = 0;
        while (true)
        {
            var limit = _limit;
            Requests++;
            using var response = await CfCall.RunAsync(ct => _api.Read(_sourceId, descending ? "true" : null, endNs, LogEnvelopes, limit, startNs,
                callerHandlesRateLimit: true, ct), cancellationToken).ConfigureAwait(false);

            if (response.IsSuccessStatusCode) return (await ParseAsync(response, cancellationToken).ConfigureAwait(false), limit);

            switch (response.StatusCode)
            {
                case HttpStatusCode.NotFound when !renewed:
                {
                    // log-cache says 404 (empty body) for an expired or rejected token too. The token is renewed ahead of
                    // expiry before every call; a 404 anyway may mean it was revoked: renew once and ask again.
                    renewed = true;
                    var rejected = response.RequestMessage?.Headers.Authorization?.Parameter;
                    CfDiagnostics.Verbose($"log-cache answered 404 for source {_sourceId}; renewing the token and asking once more (log-cache answers a rejected token with 404).");
                    if (rejected is not null) await _session.Tokens.RenewAfterRejectionAsync(rejected, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                case HttpStatusCode.NotFound:
                    throw new CfException(CfErrorKind.NotFound, "CfLogsNotFound",
                        $"Failed to retrieve logs from Log Cache: it answered 404 for app {_sourceId} even with a renewed token. " +
                        "The app may have been deleted, you may not be allowed to read its logs, or log-cache does not accept this session's token (run Connect-CfTarget again).",
                        _sourceId) { StatusCode = 404 };
                case HttpStatusCodes.TooManyRequests when rateLimited < 12:
                {
                    rateLimited++;
                    var halved = Math.Max(1, _limit / 2);
                    CfDiagnostics.Verbose($"log-cache answered 429 (too many requests); reading {halved} envelopes per request instead of {_limit}.");
                    var wait = RetryAfter(response) ?? TimeSpan.FromMilliseconds(Math.Min(2000, 50 * (1 << Math.Min(rateLimited, 6))));
                    _limit = halved;
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            var error = await CfApiErrors.FromResponseAsync(response, cancellationToken).ConfigureAwait(false);
            var errorId = (int)response.StatusCode is 429 or >= 500 ? "CfLogCacheUnavailable" : error.ErrorId;
            throw error.WithContext(errorId, _sourceId, "Failed to retrieve logs from Log Cache: " + error.Message);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is not { } delta) return null;
        return delta < TimeSpan.Zero ? TimeSpan.Zero : delta > TimeSpan.FromSeconds(10) ? TimeSpan.FromSeconds(10) : delta;
    }

    private async Task<List<CfLogEntry>> ParseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        LogCacheReadResponse? body;
        // The page is read whole into one pooled buffer and parsed in one pass: parsing from the stream made the
        // serializer scan the growing buffer again on every refill before the converter could see the page.
        var (buffer, length) = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        try
        {
            body = JsonSerializer.Deserialize(buffer.AsSpan(0, length), CfJsonContext.Default.LogCacheReadResponse);
        }
        catch (JsonException error)
        {
            throw CfApiErrors.NotCloudFoundry(response.RequestMessage?.RequestUri, $"the log-cache read answer could not be read ({error.Message})", error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        var batch = body?.Envelopes?.Batch;
        var entries = new List<CfLogEntry>(batch?.Count ?? 0);
        if (batch is null) return entries;
        foreach (var envelope in batch)
            if (ToEntry(envelope, _sourceId) is { } entry) entries.Add(entry);
        return entries;
    }

    /// <summary>The whole body in a buffer rented from the shared pool (the caller returns it).</summary>
    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var expected = response.Content.Headers.ContentLength is { } known && known < Array.MaxLength - 1 ? (int)known + 1 : 64 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(expected);
        var length = 0;
        try
        {
            using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0) return (buffer, length);
                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>A LOG envelope as a user-facing entry; null for other envelope types.</summary>
    internal static CfLogEntry? ToEntry(Envelope envelope, string sourceId)
    {
        if (envelope.Log is not { } log) return null;
        var sourceType = envelope.SourceType ?? "";
        return new CfLogEntry
        {
            TimestampUnixNanoseconds = envelope.Timestamp,
            Timestamp = FromUnixNanoseconds(envelope.Timestamp),
            AppGuid = !string.IsNullOrEmpty(envelope.SourceId) ? envelope.SourceId : sourceId,
            SourceType = sourceType,
            InstanceId = !string.IsNullOrEmpty(envelope.InstanceId) ? envelope.InstanceId : envelope.TagInstanceId ?? "",
            Stream = string.Equals(log.Type, "ERR", StringComparison.OrdinalIgnoreCase) ? "ERR" : "OUT",
            Message = log.Text,
            TaskName = sourceType.StartsWith(LogService.TaskSourcePrefix, StringComparison.Ordinal) ? sourceType[LogService.TaskSourcePrefix.Length..] : null,
        };
    }

    /// <summary>Nanoseconds since the Unix epoch as a UTC DateTime (100 ns resolution, rounded down).</summary>
    public static DateTime FromUnixNanoseconds(long ns) =>
        DateTime.SpecifyKind(DateTime.UnixEpoch.AddTicks(Math.DivRem(ns, 100, out var rest) - (rest < 0 ? 1 : 0)), DateTimeKind.Utc);

    /// <summary>A UTC (or local) DateTime as nanoseconds since the Unix epoch.</summary>
    public static long ToUnixNanoseconds(DateTime time)
    {
        var utc = time.Kind == DateTimeKind.Utc ? time : time.ToUniversalTime();
        return (utc - DateTime.UnixEpoch).Ticks * 100;
    }

    internal static CfException NoLogCache(CfSession session) =>
        new(CfErrorKind.InvalidOperation, "CfLogCacheNotAvailable",
            $"The foundation at {session.Target.ApiEndpoint} does not advertise a log-cache endpoint (no log_cache link in its root document), so task logs cannot be read.",
            session.Target.ApiEndpoint);
}

/// <summary>What makes two envelopes the same line: time, source, instance, stream and text.</summary>
internal readonly record struct LogEntryKey(long Timestamp, string SourceType, string InstanceId, string Stream, string Message)
{
    public static LogEntryKey Of(CfLogEntry entry) =>
        new(entry.TimestampUnixNanoseconds, entry.SourceType, entry.InstanceId, entry.Stream, entry.Message);
}
