using Refit;

namespace CfTasks.Client.Api;

/// <summary>log-cache's read API, on the root document's <c>log_cache</c> link. Auth failures are 404 with no body.</summary>
public interface ILogCacheApi
{
    /// <summary>
    /// Envelopes of a source (an app guid), in a time window. Returns the raw response: the caller handles 404 (an app
    /// log-cache does not know or will not show, after the auth handler has renewed the token once) and 429 (it halves
    /// <paramref name="limit"/>; this API's pipeline does not retry 429 itself).
    /// </summary>
    /// <remarks><paramref name="descending"/> is the text <c>true</c> (as the cf CLI sends it), not a bool Refit would write as <c>True</c>.</remarks>
    [Get("/api/v1/read/{sourceId}")]
    Task<HttpResponseMessage> Read(
        string sourceId,
        [AliasAs("descending")] string? descending,
        [AliasAs("end_time")] long? endTime,
        [AliasAs("envelope_types"), Query(CollectionFormat.Multi)] IEnumerable<string>? envelopeTypes,
        [AliasAs("limit")] int? limit,
        [AliasAs("start_time")] long? startTime,
        CancellationToken cancellationToken);
}
