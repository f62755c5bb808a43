namespace FakeCloudFoundry.Model;

/// <summary>V3 labels and annotations, kept in insertion order even across removals (CC lists them in the order they
/// were added). The maps are created on first write, so 100,000 bulk tasks without metadata cost no dictionaries.</summary>
public sealed class ResourceMetadata
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new OrderedDictionary<string, string>();
    private OrderedDictionary<string, string>? _labels;
    private OrderedDictionary<string, string>? _annotations;

    /// <summary>The labels, for changing them.</summary>
    public OrderedDictionary<string, string> Labels => _labels ??= new(StringComparer.Ordinal);

    /// <summary>The annotations, for changing them.</summary>
    public OrderedDictionary<string, string> Annotations => _annotations ??= new(StringComparer.Ordinal);

    /// <summary>The labels, for reading (never allocates).</summary>
    public IReadOnlyDictionary<string, string> LabelsView => _labels ?? Empty;

    /// <summary>The annotations, for reading (never allocates).</summary>
    public IReadOnlyDictionary<string, string> AnnotationsView => _annotations ?? Empty;
}
