using System.Globalization;
using FakeCloudFoundry.Model;
using Microsoft.Extensions.Primitives;

namespace FakeCloudFoundry.Http;

/// <summary>Which query parameters a CC list endpoint accepts.</summary>
internal sealed record ListSpec(string[] Filters, string[] OrderByFields)
{
    public static readonly string[] CommonParameters = ["page", "per_page", "order_by", "label_selector", "created_ats", "updated_ats", "guids"];

    public bool Accepts(string key)
    {
        var bracket = key.IndexOf('[');
        var name = bracket > 0 && key.EndsWith(']') ? key[..bracket] : key;
        if (bracket > 0 && name is not ("created_ats" or "updated_ats")) return false;
        return CommonParameters.Contains(name) || Filters.Contains(name);
    }
}

/// <summary>
/// The parsed query of a CC list request: paging, ordering, comma-list filters, label selector and timestamp
/// filters. Keeps every given parameter so pagination links can repeat them (sorted, form-encoded).
/// </summary>
internal sealed class ListQuery
{
    private readonly SortedDictionary<string, string> _given = new(StringComparer.Ordinal);
    private readonly List<Func<long, long, bool>> _timeFilters = new();

    public int Page { get; private set; } = 1;
    public int PerPage { get; private set; } = 50;
    public string? OrderByField { get; private set; }
    public bool OrderDescending { get; private set; }
    public LabelSelector? Labels { get; private set; }

    /// <summary>Every parameter as received (decoded once), except page and per_page.</summary>
    public IReadOnlyDictionary<string, string> Given => _given;

    /// <summary>The comma list of a filter (each element URL-decoded once more), or null when not given.</summary>
    public IReadOnlyList<string>? Values(string key) =>
        _given.TryGetValue(key, out var raw) ? raw.Split(',').Select(Uri.UnescapeDataString).ToArray() : null;

    public HashSet<string>? ValueSet(string key) => Values(key)?.ToHashSet(StringComparer.Ordinal);

    public bool MatchesCommon(string guid, ResourceMetadata metadata, long createdAtNs, long updatedAtNs, HashSet<string>? guids)
    {
        if (guids is not null && !guids.Contains(guid)) return false;
        if (Labels is not null && !Labels.Matches(metadata.LabelsView)) return false;
        foreach (var filter in _timeFilters)
        {
            if (!filter(createdAtNs / 1_000_000_000, updatedAtNs / 1_000_000_000)) return false;
        }
        return true;
    }

    public static ListQuery Parse(IQueryCollection query, ListSpec spec, out CcError? error)
    {
        var parsed = new ListQuery();
        error = null;
        var unknown = query.Keys.Where(k => !spec.Accepts(k)).ToList();
        if (unknown.Count > 0)
        {
            error = CcError.BadQueryParameter("Unknown query parameter(s): " + string.Join(", ", unknown.Select(k => $"'{k}'")));
            return parsed;
        }
        foreach (var (key, values) in query)
        {
            var value = Last(values);
            switch (key)
            {
                case "page":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var page) || page < 1)
                        error ??= CcError.BadQueryParameter("Page must be a positive integer");
                    else parsed.Page = page;
                    break;
                case "per_page":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var perPage) || perPage is < 1 or > 5000)
                        error ??= CcError.BadQueryParameter("Per page must be between 1 and 5000");
                    else parsed.PerPage = perPage;
                    break;
                default:
                    parsed._given[key] = value;
                    error ??= parsed.ParseFilter(key, value, spec);
                    break;
            }
        }
        return parsed;
    }

    private CcError? ParseFilter(string key, string value, ListSpec spec)
    {
        if (key == "order_by")
        {
            var field = value.TrimStart('+', '-');
            if (!spec.OrderByFields.Contains(field))
                return CcError.BadQueryParameter("Order by can only be: " + string.Join(", ", spec.OrderByFields.Select(f => $"'{f}'")));
            OrderByField = field;
            OrderDescending = value.StartsWith('-');
            return null;
        }
        if (key == "label_selector")
        {
            Labels = LabelSelector.TryParse(value);
            return Labels is null ? CcError.BadQueryParameter("Invalid label_selector value") : null;
        }
        if (key.StartsWith("created_ats", StringComparison.Ordinal) || key.StartsWith("updated_ats", StringComparison.Ordinal))
            return ParseTimeFilter(key, value);
        return null;
    }

    private CcError? ParseTimeFilter(string key, string value)
    {
        var created = key.StartsWith("created_ats", StringComparison.Ordinal);
        var op = key.Length > 11 ? key[12..^1] : "";
        var times = new List<long>();
        foreach (var text in value.Split(','))
        {
            if (!DateTimeOffset.TryParseExact(Uri.UnescapeDataString(text), "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal, out var time))
                return CcError.BadQueryParameter($"{(created ? "Created ats" : "Updated ats")} has an invalid timestamp format. Timestamps should be formatted as 'YYYY-MM-DDThh:mm:ssZ'");
            times.Add(time.ToUnixTimeSeconds());
        }
        if (op.Length > 0 && times.Count != 1)
            return CcError.BadQueryParameter($"{(created ? "Created ats" : "Updated ats")} relational operator '{op}' takes exactly one timestamp");
        Func<long, bool> test = op switch
        {
            "" => t => times.Contains(t),
            "lt" => t => t < times[0],
            "lte" => t => t <= times[0],
            "gt" => t => t > times[0],
            "gte" => t => t >= times[0],
            _ => _ => false,
        };
        if (op is not ("" or "lt" or "lte" or "gt" or "gte"))
            return CcError.BadQueryParameter($"Invalid relational operator: '{op}'");
        _timeFilters.Add(created ? (c, _) => test(c) : (_, u) => test(u));
        return null;
    }

    private static string Last(StringValues values) => values.Count == 0 ? "" : values[values.Count - 1] ?? "";
}
