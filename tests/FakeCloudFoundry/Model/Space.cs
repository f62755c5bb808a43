namespace FakeCloudFoundry.Model;

public sealed class Space
{
    public required string Guid { get; init; }
    public required string Name { get; init; }
    public required Organization Organization { get; init; }
    public required long CreatedAtNs { get; init; }
    public long UpdatedAtNs { get; set; }
    public long Ordinal { get; init; }
    public ResourceMetadata Metadata { get; } = new();
}
