namespace CfTasks.Client.Models;

/// <summary><c>{"envelopes": {"batch": [...]}}</c>.</summary>
public sealed record LogCacheReadResponse(EnvelopeBatch? Envelopes);

/// <summary>A batch of v2 envelopes.</summary>
public sealed record EnvelopeBatch(List<Envelope>? Batch);

/// <summary>A loggregator v2 envelope (only LOG envelopes are read). Timestamps are int64 ns sent as strings.</summary>
public sealed record Envelope(
    [property: System.Text.Json.Serialization.JsonNumberHandling(System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString)] long Timestamp,
    string? SourceId,
    string? InstanceId,
    Dictionary<string, string>? Tags,
    Dictionary<string, System.Text.Json.JsonElement>? DeprecatedTags,
    EnvelopeLog? Log);

/// <summary>A LOG envelope's body: base64 payload and OUT/ERR.</summary>
public sealed record EnvelopeLog(byte[]? Payload, string? Type);

/// <summary><c>GET /api/v1/info</c>.</summary>
public sealed record LogCacheInfo(string? Version, string? VmUptime);
