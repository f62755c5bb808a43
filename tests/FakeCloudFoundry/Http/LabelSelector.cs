namespace FakeCloudFoundry.Http;

/// <summary>
/// A CC <c>label_selector</c>: requirements ANDed by commas — <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k</c>,
/// <c>!k</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>.
/// </summary>
internal sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements = new();

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.TrueForAll(r => r(labels));

    public static LabelSelector? TryParse(string text)
    {
        var selector = new LabelSelector();
        foreach (var raw in SplitRequirements(text))
        {
            var requirement = raw.Trim();
            if (requirement.Length == 0) return null;
            var parsed = ParseRequirement(requirement);
            if (parsed is null) return null;
            selector._requirements.Add(parsed);
        }
        return selector._requirements.Count == 0 ? null : selector;
    }

    private static Func<IReadOnlyDictionary<string, string>, bool>? ParseRequirement(string r)
    {
        if (r.StartsWith('!')) return IsKey(r[1..]) ? labels => !labels.ContainsKey(r[1..]) : null;
        var notIn = r.IndexOf(" notin ", StringComparison.Ordinal);
        if (notIn > 0) return SetRequirement(r[..notIn].Trim(), r[(notIn + 7)..], negate: true);
        var @in = r.IndexOf(" in ", StringComparison.Ordinal);
        if (@in > 0) return SetRequirement(r[..@in].Trim(), r[(@in + 4)..], negate: false);
        var notEqual = r.IndexOf("!=", StringComparison.Ordinal);
        if (notEqual > 0)
        {
            var (key, value) = (r[..notEqual].Trim(), r[(notEqual + 2)..].Trim());
            return IsKey(key) ? labels => !labels.TryGetValue(key, out var v) || v != value : null;
        }
        var equal = r.IndexOf('=');
        if (equal > 0)
        {
            var key = r[..equal].Trim();
            var value = r[(equal + 1)..].TrimStart('=').Trim();
            return IsKey(key) ? labels => labels.TryGetValue(key, out var v) && v == value : null;
        }
        return IsKey(r) ? labels => labels.ContainsKey(r) : null;
    }

    private static Func<IReadOnlyDictionary<string, string>, bool>? SetRequirement(string key, string list, bool negate)
    {
        list = list.Trim();
        if (!IsKey(key) || !list.StartsWith('(') || !list.EndsWith(')')) return null;
        var values = list[1..^1].Split(',').Select(v => v.Trim()).ToHashSet(StringComparer.Ordinal);
        return negate
            ? labels => !labels.TryGetValue(key, out var v) || !values.Contains(v)
            : labels => labels.TryGetValue(key, out var v) && values.Contains(v);
    }

    private static bool IsKey(string key) => key.Length > 0 && !key.Any(c => char.IsWhiteSpace(c) || c is '=' or '!' or '(' or ')' or ',');

    private static IEnumerable<string> SplitRequirements(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }
}
