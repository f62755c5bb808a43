namespace FakeCloudFoundry.State;

/// <summary>A task as the read-only controls show it (<c>GET /_fake/tasks/{guid}</c>, <c>GET /_fake/apps/{guid}/tasks</c>):
/// the fake's own record, state brought up to the fake clock, times in nanoseconds, the droplet it runs on, a copy of its
/// labels and annotations. Plain records with no dependency on the fake's model, so a test run in another process (the
/// Desktop client suite) can share them.</summary>
public sealed record TaskView(
    string Guid, int SequenceId, string Name, string Command, string State, int MemoryInMb, int DiskInMb, string? FailureReason,
    long CreatedAtNs, long UpdatedAtNs, string DropletGuid, MetadataView Metadata);

/// <summary>A resource's labels and annotations as the controls show them (a copy, in the fake's order).</summary>
public sealed record MetadataView(IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations);

/// <summary>A log envelope as <c>GET /_fake/logs/{sourceId}</c> shows it.</summary>
public sealed record EnvelopeView(long TimestampNs, string SourceType, string InstanceId, string Stream, string Message);

/// <summary>The app <c>POST /_fake/apps</c> created or <c>GET /_fake/apps?space=&amp;name=</c> found (its CC JSON has
/// more; these are what tests use).</summary>
public sealed record AppView(string Guid, string Name);

/// <summary>The droplet <c>POST /_fake/apps/{guid}/droplets</c> added (its CC JSON has more).</summary>
public sealed record DropletView(string Guid);

/// <summary>What <c>POST /_fake/bulk/spaces</c> (<c>FakeState.BulkSpaces</c>) made.</summary>
public sealed record BulkSpacesResult(string OrganizationGuid, IReadOnlyList<string> SpaceGuids, int Apps, int Tasks);
