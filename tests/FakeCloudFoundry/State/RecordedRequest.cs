namespace FakeCloudFoundry.State;

/// <summary>One CC / UAA / log-cache request as the fake saw it (never the token itself).</summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string Query,
    int Status,
    string Auth,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    string? Fault);

/// <summary>Request counters: in-flight now, the most seen at once, and the total.</summary>
public sealed record ServerStats(long TotalRequests, int InFlight, int MaxInFlight);
