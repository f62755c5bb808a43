using System.Text.Json;
using System.Text.Json.Nodes;

namespace FakeCloudFoundry.Tests;

/// <summary>
/// Compares the shape of two JSON documents: same keys, same key order, same nesting, same value kinds
/// (string / number / boolean / null / object / array). Values themselves (ids, hosts, times) may differ.
/// Array elements of the actual document are compared with the expected element at the same index, or with the
/// last expected element when the actual array is longer.
/// </summary>
internal sealed class JsonShape
{
    /// <summary>Property names whose objects hold free-form keys (only the kind is compared).</summary>
    public HashSet<string> FreeFormObjects { get; init; } = ["labels", "annotations", "custom", "deprecated_tags"];

    /// <summary>When false, objects must have the same keys in any order.</summary>
    public bool CompareKeyOrder { get; init; } = true;

    public List<string> Differences(JsonNode? expected, JsonNode? actual)
    {
        var differences = new List<string>();
        Compare(expected, actual, "$", differences);
        return differences;
    }

    public void AssertSame(JsonNode? expected, JsonNode? actual)
    {
        var differences = Differences(expected, actual);
        Assert.True(differences.Count == 0, "JSON shape differs from the reference:\n  " + string.Join("\n  ", differences) + "\nactual: " + actual?.ToJsonString());
    }

    private void Compare(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        var expectedKind = Kind(expected);
        var actualKind = Kind(actual);
        if (expectedKind != actualKind)
        {
            differences.Add($"{path}: expected {expectedKind}, got {actualKind}");
            return;
        }
        if (expected is JsonObject expectedObject && actual is JsonObject actualObject)
        {
            if (FreeFormObjects.Contains(LastName(path))) return;
            var expectedKeys = expectedObject.Select(p => p.Key).ToList();
            var actualKeys = actualObject.Select(p => p.Key).ToList();
            foreach (var missing in expectedKeys.Except(actualKeys)) differences.Add($"{path}.{missing}: missing");
            foreach (var extra in actualKeys.Except(expectedKeys)) differences.Add($"{path}.{extra}: not in the reference");
            if (CompareKeyOrder && expectedKeys.Count == actualKeys.Count && expectedKeys.Order().SequenceEqual(actualKeys.Order()) && !expectedKeys.SequenceEqual(actualKeys))
                differences.Add($"{path}: key order [{string.Join(", ", actualKeys)}], reference [{string.Join(", ", expectedKeys)}]");
            foreach (var key in expectedKeys.Intersect(actualKeys)) Compare(expectedObject[key], actualObject[key], $"{path}.{key}", differences);
        }
        else if (expected is JsonArray expectedArray && actual is JsonArray actualArray)
        {
            if (expectedArray.Count > 0 && actualArray.Count == 0) differences.Add($"{path}: empty, the reference has elements (test data too thin to compare)");
            for (var i = 0; i < actualArray.Count && expectedArray.Count > 0; i++)
                Compare(expectedArray[Math.Min(i, expectedArray.Count - 1)], actualArray[i], $"{path}[{i}]", differences);
        }
    }

    private static string LastName(string path) => path[(path.LastIndexOf('.') + 1)..];

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => "number",
            JsonValueKind.String => "string",
            var other => other.ToString(),
        },
        _ => "unknown",
    };
}
