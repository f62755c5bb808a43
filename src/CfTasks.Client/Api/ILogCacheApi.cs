using CfTasks.Client.Http;
using CfTasks.Client.Models;
using Refit;

namespace CfTasks.Client.Api;

/// <summary>log-cache's read API, on the root document's <c>log_cache</c> link. Auth failures are 404 with no body.</summary>
public interface ILogCacheApi
{
    /// <summary>Version discovery.</summary>
    [Get("/api/v1/info")]
    Task<LogCacheInfo> GetInfo(CancellationToken cancellationToken);

    /// <summary>
    /// Envelopes of a source (an app guid), in a time window. Returns the raw response: the caller handles 404 with an
    /// empty body (a rejected token looks like that) and 429 (it halves <paramref name="limit"/>; pass
    /// <paramref name="callerHandlesRateLimit"/> = true so the resilience pipeline does not retry 429 first).
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
        [Property(CfResiliencePipeline.CallerHandlesRateLimitKey)] bool callerHandlesRateLimit,
        CancellationToken cancellationToken);
}
