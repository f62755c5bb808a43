using System.Collections;
using System.Globalization;
using System.Management.Automation;
using CfTasks.Client.Services;

namespace CfTasks.Transforms;

/// <summary>
/// Labels or annotations given as a hashtable (<c>@{ build = $env:BUILD_BUILDID; team = 'billing' }</c>): each key and
/// value is checked against Cloud Foundry's rules (<see cref="MetadataRules"/>) while the parameter binds, so a bad one
/// is a parameter-binding error naming the key, before any request. A value of <c>$null</c> is allowed (it removes the
/// key where keys can be removed); numbers and other values are used as their invariant text.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateCfMetadataAttribute(CfMetadataKind kind) : ValidateArgumentsAttribute
{
    /// <summary>Labels or annotations.</summary>
    public CfMetadataKind Kind { get; } = kind;

    /// <inheritdoc />
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        foreach (var pair in MetadataArguments.ToMap(arguments as IDictionary ?? (arguments as PSObject)?.BaseObject as IDictionary))
        {
            var problem = Kind == CfMetadataKind.Label ? MetadataRules.LabelProblem(pair.Key, pair.Value) : MetadataRules.AnnotationProblem(pair.Key, pair.Value);
            if (problem is not null)
                throw new ValidationMetadataException($"The {(Kind == CfMetadataKind.Label ? "label" : "annotation")} '{pair.Key}' is not valid in Cloud Foundry: {problem}.");
        }
    }
}

/// <summary>Which kind of metadata a hashtable parameter holds.</summary>
public enum CfMetadataKind
{
    /// <summary>Labels: keys and values follow Cloud Foundry's label rules; selectable with a label selector.</summary>
    Label,
    /// <summary>Annotations: keys follow the label-key rules; values are any text up to 5000 characters.</summary>
    Annotation,
}

/// <summary>Hashtables from the command line as the client's key/value maps.</summary>
internal static class MetadataArguments
{
    /// <summary>The pairs of a hashtable, keys and values as text (null values stay null); null for no hashtable.</summary>
    public static IReadOnlyDictionary<string, string?> ToMap(IDictionary? table)
    {
        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (table is null) return map;
        foreach (DictionaryEntry entry in table) map[Text(entry.Key) ?? ""] = Text(entry.Value);
        return map;
    }

    private static string? Text(object? value)
    {
        if (value is PSObject wrapped) value = wrapped.BaseObject;
        return value switch
        {
            null => null,
            string text => text,
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }
}
