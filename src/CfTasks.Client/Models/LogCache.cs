using System.Text.Json.Serialization;

namespace CfTasks.Client.Models;

/// <summary>
/// <c>{"envelopes": {"batch": [...]}}</c>. Read by <see cref="LogCacheReadResponseConverter"/>: a page holds up to 1000
/// envelopes of which only a few fields matter, so the converter keeps those and skips the rest (see its remarks).
/// </summary>
[JsonConverter(typeof(LogCacheReadResponseConverter))]
public sealed record LogCacheReadResponse(EnvelopeBatch? Envelopes);

/// <summary>A batch of v2 envelopes.</summary>
public sealed record EnvelopeBatch(List<Envelope>? Batch);

/// <summary>
/// The parts of a loggregator v2 envelope that CfTasks uses (only LOG envelopes are read). <c>timestamp</c> is int64 ns
/// (a JSON string on the wire, a number accepted too); <see cref="SourceType"/> and <see cref="TagInstanceId"/> come from
/// <c>tags</c>, else from the older typed <c>deprecated_tags</c> (<c>{"source_type":{"text":"…"}}</c>).
/// </summary>
public sealed record Envelope(long Timestamp, string? SourceId, string? InstanceId, string? SourceType, string? TagInstanceId, EnvelopeLog? Log);

/// <summary>A LOG envelope's body: its base64 <c>payload</c> decoded as UTF-8 text, and <c>type</c> (OUT/ERR).</summary>
public sealed record EnvelopeLog(string Text, string? Type);
