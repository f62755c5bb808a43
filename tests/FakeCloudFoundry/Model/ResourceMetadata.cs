namespace FakeCloudFoundry.Model;

/// <summary>V3 labels and annotations (insertion ordered).</summary>
public sealed class ResourceMetadata
{
    public Dictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Annotations { get; } = new(StringComparer.Ordinal);
}
