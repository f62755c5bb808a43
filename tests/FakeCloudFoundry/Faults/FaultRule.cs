namespace FakeCloudFoundry.Faults;

/// <summary>
/// A fault to inject into matching CC, UAA or log-cache requests (never into <c>/_fake</c>). JSON names are the
/// camelCase property names (<c>{"method":"GET","path":"^/v3/tasks","action":"status","status":503,...}</c>).
/// </summary>
public sealed record FaultRule
{
    /// <summary>HTTP method to match; null or empty matches any.</summary>
    public string? Method { get; init; }

    /// <summary>Regular expression matched against the request path (without the query string).</summary>
    public string Path { get; init; } = "";

    /// <summary><c>status</c>, <c>hang</c>, <c>drop-before</c>, <c>drop-after</c>, <c>delay</c> or <c>body</c>.</summary>
    public string Action { get; init; } = FaultActions.Status;

    /// <summary>Status for <c>status</c> (default 503) and <c>body</c> (default 200).</summary>
    public int? Status { get; init; }

    /// <summary>Adds a <c>Retry-After</c> header (seconds) to a <c>status</c> or <c>body</c> answer.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Fire on the next N matching requests only; null = no count limit.</summary>
    public int? Count { get; init; }

    /// <summary>Fire on this fraction (0..1) of matching requests, decided by a Random seeded with <see cref="Seed"/>.</summary>
    public double? Rate { get; init; }

    public int? Seed { get; init; }

    /// <summary>For <c>delay</c>: milliseconds before the request is served normally.</summary>
    public int? DelayMs { get; init; }

    /// <summary>For <c>body</c> (and optionally <c>status</c>): the exact body to send instead of the default.</summary>
    public string? Body { get; init; }

    /// <summary>Content type for <see cref="Body"/> (default <c>application/json; charset=utf-8</c>).</summary>
    public string? ContentType { get; init; }

    /// <summary>Send <see cref="Body"/> this many times in a row (e.g. to make a 5 MB body).</summary>
    public int? Repeat { get; init; }
}

public static class FaultActions
{
    public const string Status = "status";
    public const string Hang = "hang";
    public const string DropBefore = "drop-before";
    public const string DropAfter = "drop-after";
    public const string Delay = "delay";
    public const string Body = "body";

    public static bool IsKnown(string action) => action is Status or Hang or DropBefore or DropAfter or Delay or Body;
}
