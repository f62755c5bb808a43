using FakeCloudFoundry.Tasks;

namespace FakeCloudFoundry.Model;

/// <summary>A task. Mutated only under the state lock.</summary>
public sealed class FakeTask
{
    public required string Guid { get; init; }
    /// <summary>Global creation order (CC's internal id).</summary>
    public required long Ordinal { get; init; }
    public required int SequenceId { get; init; }
    public required string Name { get; init; }
    public required string Command { get; init; }
    public string? User { get; init; } = "vcap";
    public required string State { get; set; }
    public required int MemoryInMb { get; init; }
    public required int DiskInMb { get; init; }
    public required long LogRateLimitInBytesPerSecond { get; init; }
    public string? FailureReason { get; set; }
    public required string DropletGuid { get; init; }
    public required CfApp App { get; init; }
    public required long CreatedAtNs { get; init; }
    public long UpdatedAtNs { get; set; }
    public ResourceMetadata Metadata { get; } = new();

    /// <summary>When the scheduled transition (completion or end of cancelling) happens, in fake ns.</summary>
    internal long? TransitionAtNs { get; set; }
    internal string? TransitionState { get; set; }
    internal string? TransitionFailureReason { get; set; }
    internal ITaskExecution? Execution { get; set; }
    /// <summary>Set once the run exited or was cancelled: further output is ignored.</summary>
    internal bool OutputClosed { get; set; }
    internal string CellId { get; set; } = "";
}
