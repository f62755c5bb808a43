using System.Text.Json;
using System.Text.Json.Serialization;

namespace CfTasks.Bench.Floor;

// The same wire objects CfTasks deserialises (src/CfTasks.Client/Models), declared here so the floor has no
// dependency on the module: pages of tasks and apps, log-cache envelopes, the UAA token.

public sealed record Link(string? Href, string? Method);
public sealed record Pagination(int TotalResults, int TotalPages, Link? First, Link? Last, Link? Next, Link? Previous);
public sealed record Page<T>(Pagination? Pagination, List<T>? Resources);
public sealed record RelationshipData(string? Guid);
public sealed record Relationship(RelationshipData? Data);
public sealed record Metadata(Dictionary<string, string?>? Labels, Dictionary<string, string?>? Annotations);

public sealed record OrganizationResource(string Guid, string Name, DateTime CreatedAt, DateTime UpdatedAt);
public sealed record SpaceRelationships(Relationship? Organization);
public sealed record SpaceResource(string Guid, string Name, DateTime CreatedAt, DateTime UpdatedAt, SpaceRelationships? Relationships = null);
public sealed record AppRelationships(Relationship? Space, Relationship? CurrentDroplet);
public sealed record AppResource(string Guid, string Name, string State, DateTime CreatedAt, DateTime UpdatedAt, AppRelationships? Relationships);

/// <summary>A page of apps with include=space.organization.</summary>
public sealed record AppPlacementPage(List<AppResource>? Resources, AppPlacementIncluded? Included);
public sealed record AppPlacementIncluded(List<SpaceResource>? Spaces, List<OrganizationResource>? Organizations);

public sealed record TaskResult(string? FailureReason);
public sealed record TaskRelationships(Relationship? App);
public sealed record TaskResource(
    string Guid, int SequenceId, string Name, string? Command, string State, int? MemoryInMb, int? DiskInMb,
    long? LogRateLimitInBytesPerSecond, TaskResult? Result, string? DropletGuid, Metadata? Metadata,
    DateTime CreatedAt, DateTime UpdatedAt, TaskRelationships? Relationships);

public sealed record TaskCreateRequest
{
    public string? Command { get; init; }
    public string? Name { get; init; }
    public Metadata? Metadata { get; init; }
}

public sealed record TokenResponse(string AccessToken, string? RefreshToken, int ExpiresIn, string? TokenType);

public sealed record LogCacheReadResponse(EnvelopeBatch? Envelopes);
public sealed record EnvelopeBatch(List<Envelope>? Batch);
public sealed record Envelope(
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] long Timestamp,
    string? SourceId,
    string? InstanceId,
    EnvelopeTags? Tags,
    EnvelopeLog? Log);
/// <summary>The two tags a line needs (CfTasks reads no others either); the serializer skips the rest.</summary>
public sealed record EnvelopeTags(string? SourceType, string? InstanceId);
public sealed record EnvelopeLog(byte[]? Payload, string? Type);

/// <summary>The user-facing line the floor builds from each envelope (what Get-CfTaskLog emits).</summary>
public sealed record LogLine(long TimestampUnixNanoseconds, DateTime Timestamp, string SourceType, string InstanceId, string Stream, string Message);

public sealed record Result(
    string Scenario, double Ms, long Count, long Requests, long PeakWorkingSet, long AllocatedBytes,
    Dictionary<string, double>? Phases);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Page<OrganizationResource>))]
[JsonSerializable(typeof(Page<SpaceResource>))]
[JsonSerializable(typeof(Page<AppResource>))]
[JsonSerializable(typeof(Page<TaskResource>))]
[JsonSerializable(typeof(AppPlacementPage))]
[JsonSerializable(typeof(TaskResource))]
[JsonSerializable(typeof(TaskCreateRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(LogCacheReadResponse))]
public sealed partial class WireContext : JsonSerializerContext;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Result))]
public sealed partial class ResultContext : JsonSerializerContext;
