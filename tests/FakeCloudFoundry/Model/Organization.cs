namespace FakeCloudFoundry.Model;

public sealed class Organization
{
    public required string Guid { get; init; }
    public required string Name { get; init; }
    public required long CreatedAtNs { get; init; }
    public long UpdatedAtNs { get; set; }
    public required string QuotaGuid { get; init; }
    public long Ordinal { get; init; }
    public ResourceMetadata Metadata { get; } = new();
}
