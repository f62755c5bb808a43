using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CfTasks.Client.Http;
using CfTasks.Client.Models;

namespace CfTasks.Client.Api;

/// <summary>
/// Reads CC V3 lists: the first page from a Refit call, then each <c>pagination.next.href</c> fetched verbatim, as the
/// cf CLI does. A page's body is read into one pooled buffer and its resources are turned into objects a chunk at a time
/// as the consumer asks for them, so a 5000-task page never exists as 5000 objects at once: objects live only as long as
/// the consumer takes for a chunk. The next page is requested while the consumer works through the second half of this
/// one (a consumer that stops early stops the fetching).
/// </summary>
internal sealed class PagedReader(HttpClient cloudController)
{
    /// <summary>CC's largest page.</summary>
    public const int MaxPerPage = 5000;

    /// <summary>How many resources are made into objects at a time.</summary>
    public const int ChunkSize = 250;

    /// <summary>The largest page body read (5000 resources of a few kB each, with room to spare).</summary>
    private const int MaxPageBytes = 256 * 1024 * 1024;

    /// <summary>Every item of every page.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync<T>(
        Func<CancellationToken, Task<HttpResponseMessage>> firstPage, JsonTypeInfo<List<T>> listType, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var chunk in ReadChunksAsync(firstPage, listType, readAhead: true, cancellationToken).ConfigureAwait(false))
            foreach (var item in chunk.Items) yield return item;
    }

    /// <summary>Only the first page, whole (for look-ups that ask for one small page).</summary>
    public async Task<Page<T>> FirstPageAsync<T>(
        Func<CancellationToken, Task<HttpResponseMessage>> firstPage, JsonTypeInfo<List<T>> listType, CancellationToken cancellationToken)
    {
        using var page = await ReadPageAsync(firstPage, listType, ArrayPool<byte>.Shared, 0, cancellationToken).ConfigureAwait(false);
        var items = new List<T>();
        while (page.ReadChunk(items, int.MaxValue))
        {
        }
        return new Page<T>(page.Pagination, items);
    }

    /// <summary>
    /// Every page's resources in chunks of at most <see cref="ChunkSize"/>, in order. A chunk says whether it starts a
    /// page and carries the page's pagination block once it has been read (CC writes it before the resources).
    /// With <paramref name="readAhead"/>, the next page is requested once <see cref="ReadAheadAfter"/> resources of this
    /// one have been taken, so it arrives while the consumer works through the rest (a consumer that stops before that
    /// causes no further request); without it, only when this page has been taken whole (for callers that know they want
    /// one page at most). Page bodies are read into buffers of this listing's own, reused page after page and dropped
    /// with it, so a long listing holds the same memory as a short one.
    /// </summary>
    public async IAsyncEnumerable<PageChunk<T>> ReadChunksAsync<T>(
        Func<CancellationToken, Task<HttpResponseMessage>> firstPage, JsonTypeInfo<List<T>> listType, bool readAhead,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffers = ArrayPool<byte>.Create(MaxPageBytes + 1, maxArraysPerBucket: 2); // this page and the one read ahead
        using var stopReadAhead = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<PageBody<T>>? ahead = null;
        PageBody<T>? page = await ReadPageAsync(firstPage, listType, buffers, 0, cancellationToken).ConfigureAwait(false);
        try
        {
            while (page is not null)
            {
                var startsPage = true;
                var taken = 0;
                while (true)
                {
                    var items = new List<T>(ChunkSize);
                    var more = page.ReadChunk(items, ChunkSize);
                    if (items.Count > 0 || startsPage) yield return new PageChunk<T>(items, page.Pagination, startsPage);
                    taken += items.Count;
                    startsPage = false;
                    if (!more) break;
                    if (readAhead && ahead is null && taken >= ReadAheadAfter && NextPageUri(page, throwIfInvalid: false) is { } early)
                        ahead = ReadPageAsync(ct => GetPageAsync(early, ct), listType, buffers, page.Length, stopReadAhead.Token);
                }

                var finished = page;
                page = null;
                finished.Dispose();
                if (ahead is not null)
                {
                    var next = ahead;
                    ahead = null;
                    page = await next.ConfigureAwait(false);
                }
                else if (taken > 0 && NextPageUri(finished, throwIfInvalid: true) is { } uri)
                {
                    page = await ReadPageAsync(ct => GetPageAsync(uri, ct), listType, buffers, finished.Length, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            page?.Dispose();
            if (ahead is not null)
            {
                // The consumer stopped while the next page was on its way: end the request and give back its buffer.
                stopReadAhead.Cancel();
                try
                {
                    (await ahead.ConfigureAwait(false)).Dispose();
                }
                catch (Exception)
                {
                    // Cancelled, or failed: nobody wants that page any more.
                }
            }
        }
    }

    /// <summary>How many resources of a page are taken before the next page is requested (read-ahead listings only).</summary>
    public const int ReadAheadAfter = MaxPerPage / 2;

    private Task<HttpResponseMessage> GetPageAsync(Uri uri, CancellationToken cancellationToken) =>
        cloudController.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    /// <summary>
    /// The page's <c>pagination.next.href</c>, followed verbatim as the cf CLI does; null on the last page. A link that is
    /// not an absolute URL is an error once the page has been taken whole (<paramref name="throwIfInvalid"/>), so the
    /// consumer still gets every resource of the page before it; reading ahead just does not happen for it.
    /// </summary>
    private Uri? NextPageUri<T>(PageBody<T> page, bool throwIfInvalid)
    {
        var next = page.Pagination?.Next?.Href;
        if (string.IsNullOrEmpty(next)) return null;
        if (Uri.TryCreate(next, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)) return uri;
        if (!throwIfInvalid) return null;
        throw CfApiErrors.NotCloudFoundry(cloudController.BaseAddress, $"its next-page link '{next}' is not an absolute http(s) URL");
    }

    private static async Task<PageBody<T>> ReadPageAsync<T>(
        Func<CancellationToken, Task<HttpResponseMessage>> request, JsonTypeInfo<List<T>> listType, ArrayPool<byte> buffers, int sizeHint,
        CancellationToken cancellationToken)
    {
        using var response = await CfCall.RunAsync(request, cancellationToken).ConfigureAwait(false);
        return await PageBody<T>.ReadAsync(response, listType, buffers, sizeHint, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One page's body in a pooled buffer, read a chunk of resources at a time: the JSON reader's position and state are
    /// kept between chunks, so the page is parsed once, front to back, and only the resources asked for are made.
    /// </summary>
    private sealed class PageBody<T> : IDisposable
    {
        private readonly BodyBuffer _body;
        private readonly JsonTypeInfo<T> _itemType;
        private readonly JsonConverter<T> _itemConverter;
        private readonly Uri? _uri;
        private int _consumed;
        private JsonReaderState _state;
        private Phase _phase;

        private enum Phase { Start, InObject, InResources, Done }

        private PageBody(BodyBuffer body, JsonTypeInfo<List<T>> listType, Uri? uri)
        {
            _body = body;
            _itemType = (JsonTypeInfo<T>)listType.Options.GetTypeInfo(typeof(T));
            _itemConverter = (JsonConverter<T>)_itemType.Converter;
            _uri = uri;
        }

        /// <summary>The page's pagination block, once read.</summary>
        public Pagination? Pagination { get; private set; }

        /// <summary>The body's length in bytes.</summary>
        public int Length => _body.Length;

        public static async Task<PageBody<T>> ReadAsync(
            HttpResponseMessage response, JsonTypeInfo<List<T>> listType, ArrayPool<byte> buffers, int sizeHint, CancellationToken cancellationToken)
        {
            if (!response.IsSuccessStatusCode) throw await CfApiErrors.FromResponseAsync(response, cancellationToken).ConfigureAwait(false);
            var uri = response.RequestMessage?.RequestUri;
            var body = await BodyBuffer.ReadAsync(response.Content, MaxPageBytes, cancellationToken, buffers, sizeHint).ConfigureAwait(false);
            if (!body.IsComplete)
            {
                body.Dispose();
                throw CfApiErrors.NotCloudFoundry(uri, $"the page is larger than {MaxPageBytes / (1024 * 1024)} MB");
            }
            return new PageBody<T>(body, listType, uri);
        }

        /// <summary>Adds up to <paramref name="max"/> resources to <paramref name="into"/>; false once the page has no more.</summary>
        public bool ReadChunk(List<T> into, int max)
        {
            if (_phase == Phase.Done) return false;
            var reader = new Utf8JsonReader(_body.Span.Slice(_consumed), isFinalBlock: true, _state);
            try
            {
                while (Step(ref reader, into, max))
                    if (into.Count >= max) return true;
                return false;
            }
            // Resources are read by their converters directly, not through the serializer: a value of the wrong kind can
            // come out of the reader as InvalidOperationException or FormatException instead of a JsonException.
            catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException)
            {
                _phase = Phase.Done;
                throw CfApiErrors.NotCloudFoundry(_uri, $"the page could not be read ({error.Message})", error);
            }
            finally
            {
                _consumed += (int)reader.BytesConsumed;
                _state = reader.CurrentState;
            }
        }

        /// <summary>Reads one step (a property, or one resource); false at the end of the page.</summary>
        private bool Step(ref Utf8JsonReader reader, List<T> into, int max)
        {
            switch (_phase)
            {
                case Phase.Start:
                    if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("a page is a JSON object");
                    _phase = Phase.InObject;
                    return true;
                case Phase.InObject:
                    if (!reader.Read() || reader.TokenType == JsonTokenType.EndObject)
                    {
                        _phase = Phase.Done;
                        return false;
                    }
                    var isPagination = reader.ValueTextEquals("pagination"u8);
                    var isResources = reader.ValueTextEquals("resources"u8);
                    if (!reader.Read()) throw new JsonException("the page ends inside a property");
                    if (isPagination) Pagination = JsonSerializer.Deserialize(ref reader, CfJsonContext.Default.Pagination);
                    else if (isResources && reader.TokenType == JsonTokenType.StartArray) _phase = Phase.InResources;
                    else reader.Skip();
                    return true;
                default:
                    return ReadResources(ref reader, into, max);
            }
        }

        /// <summary>
        /// The next resources, up to <paramref name="max"/> in all, each read by the resource type's converter straight
        /// from the page: one pass over the bytes, no copy (<c>JsonSerializer.Deserialize(ref reader)</c> would first
        /// skip over each resource to find its end, then parse it again).
        /// </summary>
#if NET // tiered compilation does not exist on .NET Framework
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
        private bool ReadResources(ref Utf8JsonReader reader, List<T> into, int max)
        {
            while (into.Count < max)
            {
                if (!reader.Read()) throw new JsonException("the page ends inside its resources");
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    _phase = Phase.InObject;
                    break;
                }
                into.Add(_itemConverter.Read(ref reader, typeof(T), _itemType.Options)!);
            }
            return true;
        }

        public void Dispose() => _body.Dispose();
    }
}

/// <summary>Some resources of a list page, in order; <see cref="StartsPage"/> on a page's first chunk.</summary>
internal sealed record PageChunk<T>(IReadOnlyList<T> Items, Pagination? Pagination, bool StartsPage);
