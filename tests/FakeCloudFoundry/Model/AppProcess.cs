namespace FakeCloudFoundry.Model;

public sealed class AppProcess
{
    public required string Guid { get; init; }
    public required string Type { get; init; }
    public required CfApp App { get; init; }
    public required string Command { get; init; }
    public string User { get; init; } = "vcap";
    public int Instances { get; init; }
    public int MemoryInMb { get; init; }
    public int DiskInMb { get; init; }
    public long LogRateLimitInBytesPerSecond { get; init; } = -1;
    public required long CreatedAtNs { get; init; }
    public long UpdatedAtNs { get; set; }
    public required string RevisionGuid { get; init; }
    public required string Version { get; init; }
    public ResourceMetadata Metadata { get; } = new();
}
