using FakeCloudFoundry.Endpoints;

namespace FakeCloudFoundry.State;

/// <summary>A validated task create request with every default already applied.</summary>
internal sealed record TaskRequest(
    string? Name,
    string Command,
    int MemoryInMb,
    int DiskInMb,
    long LogRateLimitInBytesPerSecond,
    string DropletGuid,
    string? User,
    MetadataMessage? Metadata);
