using System.Text.Json;
using FakeCloudFoundry.Http;
using FakeCloudFoundry.Model;

namespace FakeCloudFoundry.Endpoints;

/// <summary>
/// The <c>metadata</c> of a CC request body (task create, PATCH), validated as CC's MetadataValidator does
/// (cloud_controller_ng <c>app/messages/validators/metadata_validator.rb</c>) with ActiveModel's full messages
/// (<c>Metadata label key error: …</c>). A null value removes the key when applied.
/// </summary>
internal sealed class MetadataMessage
{
    private MetadataMessage(Dictionary<string, string?>? labels, Dictionary<string, string?>? annotations)
    {
        Labels = labels;
        Annotations = annotations;
    }

    public Dictionary<string, string?>? Labels { get; }
    public Dictionary<string, string?>? Annotations { get; }

    /// <summary>The body's metadata (null when the body has none), adding CC's messages to <paramref name="problems"/>.</summary>
    public static MetadataMessage? Read(JsonElement body, List<string> problems)
    {
        if (!body.TryGetProperty("metadata", out var metadata)) return null;
        if (metadata.ValueKind != JsonValueKind.Object)
        {
            problems.Add("Metadata must be an object");
            return null;
        }
        var unexpected = metadata.EnumerateObject().Select(p => p.Name).Where(n => n is not ("labels" or "annotations")).ToList();
        if (unexpected.Count > 0) problems.Add("Metadata has unexpected field(s): " + string.Join(" ", unexpected.Select(n => $"'{n}'")));
        var labels = ReadMap(metadata, "labels", problems, (key, value) =>
        {
            if (MetadataRules.KeyError(key) is { } keyError) problems.Add("Metadata label key error: " + keyError);
            if (value is not null && MetadataRules.LabelValueError(value) is { } valueError) problems.Add("Metadata label value error: " + valueError);
        });
        var annotations = ReadMap(metadata, "annotations", problems, (key, value) =>
        {
            if (!string.IsNullOrWhiteSpace(value) && MetadataRules.KeyError(key) is { } keyError) problems.Add("Metadata annotation key error: " + keyError);
            if (value is { Length: > MetadataRules.MaxAnnotationValueLength })
                problems.Add($"Metadata annotation value error: '{value[..8]}...' is greater than {MetadataRules.MaxAnnotationValueLength} characters");
        });
        return new MetadataMessage(labels, annotations);
    }

    /// <summary>Sets the given values and removes the keys given as null (the V3 metadata rule).</summary>
    public void ApplyTo(ResourceMetadata metadata)
    {
        Apply(Labels, metadata.Labels);
        Apply(Annotations, metadata.Annotations);
    }

    private static void Apply(Dictionary<string, string?>? changes, IDictionary<string, string> target)
    {
        if (changes is null) return;
        foreach (var (key, value) in changes)
        {
            if (value is null) target.Remove(key);
            else target[key] = value;
        }
    }

    private static Dictionary<string, string?>? ReadMap(JsonElement metadata, string name, List<string> problems, Action<string, string?> validate)
    {
        if (!metadata.TryGetProperty(name, out var map) || map.ValueKind == JsonValueKind.Null) return null;
        if (map.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"Metadata '{name}' is not an object");
            return null;
        }
        var entries = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var entry in map.EnumerateObject())
        {
            var value = entry.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => entry.Value.GetString(),
                _ => entry.Value.GetRawText(),
            };
            validate(entry.Name, value);
            entries[entry.Name] = value;
        }
        return entries;
    }
}
