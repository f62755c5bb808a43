using System.Globalization;
using System.Text.RegularExpressions;
using FakeCloudFoundry.Model;
using Microsoft.Extensions.Primitives;

namespace FakeCloudFoundry.Http;

/// <summary>
/// Which query parameters a CC list endpoint takes. <see cref="Parameters"/> are the message's own keys in CC's order
/// (its <c>register_allowed_keys</c>); CC's message for an unknown parameter lists them between the common ones
/// (<c>page</c> … <c>guids</c>) and <c>label_selector</c>. <see cref="Refused"/> are keys the message knows but this
/// (app-nested) route refuses with a shorter message, in the order CC's validator names them. <see cref="NotServed"/>
/// are keys CC takes that the fake does not implement (400 rather than a silently wrong answer).
/// </summary>
internal sealed record ListSpec(string[] Parameters, string[] OrderByFields)
{
    public static readonly string[] CommonParameters = ["page", "per_page", "order_by", "created_ats", "updated_ats", "guids"];

    public string[] Refused { get; init; } = [];
    public string[] NotServed { get; init; } = [];

    /// <summary>The values <c>include</c> may take (CC's IncludeParamValidator), when the route has it.</summary>
    public string[] Includes { get; init; } = [];

    /// <summary>Parameters that are one string, not a comma list (CC's <c>to_array_keys</c> leave them alone).</summary>
    public static readonly string[] ScalarParameters = ["label_selector", "lifecycle_type", "current", "order_by"];

    public IEnumerable<string> ValidParameters => CommonParameters.Concat(Parameters).Append("label_selector");
}

/// <summary>
/// The parsed query of a CC list request: paging, ordering, comma-list filters, label selector and timestamp filters,
/// validated with CC's messages (cloud_controller_ng <c>app/messages/list_message.rb</c>, <c>base_message.rb</c>,
/// <c>validators.rb</c>); every problem is reported, joined by <c>", "</c>, as CC joins its full messages. Keeps every
/// given parameter so pagination links can repeat them (sorted, form-encoded).
/// </summary>
internal sealed partial class ListQuery
{
    private static readonly string[] RelationalOperators = ["lt", "lte", "gt", "gte"];
    private readonly SortedDictionary<string, string> _given = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _lists = new(StringComparer.Ordinal);
    private readonly List<Func<long, long, bool>> _timeFilters = new();

    public int Page { get; private set; } = 1;
    public int PerPage { get; private set; } = 50;
    public string? OrderByField { get; private set; }
    public bool OrderDescending { get; private set; }
    public LabelSelector? Labels { get; private set; }

    /// <summary>Every parameter as the pagination links repeat it, except page and per_page.</summary>
    public IReadOnlyDictionary<string, string> Given => _given;

    /// <summary>True when a filter that needs a look at each item (labels, times) was given.</summary>
    public bool FiltersByLabelsOrTime => Labels is not null || _timeFilters.Count > 0;

    /// <summary>The elements of a comma-list filter (split as CC's <c>to_array!</c> does, each URL-decoded once more), or null when not given.</summary>
    public IReadOnlyList<string>? Values(string key) => _lists.GetValueOrDefault(key);

    public HashSet<string>? ValueSet(string key) => Values(key)?.ToHashSet(StringComparer.Ordinal);

    public bool MatchesCommon(string guid, ResourceMetadata metadata, long createdAtNs, long updatedAtNs, HashSet<string>? guids)
    {
        if (guids is not null && !guids.Contains(guid)) return false;
        if (Labels is not null && !Labels.Matches(metadata.LabelsView)) return false;
        foreach (var filter in _timeFilters)
        {
            if (!filter(createdAtNs, updatedAtNs)) return false;
        }
        return true;
    }

    public static ListQuery Parse(IQueryCollection query, ListSpec spec, out CcError? error)
    {
        var parsed = new ListQuery();
        var errors = new List<string>();
        var unknown = new List<string>();
        var notServed = new List<string>();
        foreach (var (key, values) in query)
        {
            var name = TimeFilterName(key) ?? key;
            if (spec.NotServed.Contains(name)) notServed.Add(key);
            else if (!spec.ValidParameters.Contains(name)) unknown.Add(key);
            else parsed.Collect(key, Last(values));
        }
        parsed.ValidatePaging(query, spec, errors);
        foreach (var attribute in new[] { "created_ats", "updated_ats" }) parsed.ParseTimeFilters(query, attribute, errors);
        if (query.TryGetValue("label_selector", out var selector))
        {
            parsed.Labels = LabelSelector.Parse(Last(selector), out var selectorErrors);
            errors.AddRange(selectorErrors);
        }
        if (unknown.Count > 0)
            errors.Add($"Unknown query parameter(s): '{string.Join("', '", unknown)}'. Valid parameters are: '{string.Join("', '", spec.ValidParameters)}'");
        if (parsed.Values("include") is { } includes) ValidateIncludes(includes, spec.Includes, errors);
        var refused = spec.Refused.Where(query.ContainsKey).ToList();
        if (refused.Count > 0) errors.Add($"Unknown query parameter(s): '{string.Join("', '", refused)}'");
        if (notServed.Count > 0) errors.Add($"FakeCloudFoundry does not implement: '{string.Join("', '", notServed)}'");
        error = errors.Count > 0 ? CcError.BadQueryParameter(string.Join(", ", errors)) : null;
        return parsed;
    }

    /// <summary>
    /// The <c>include</c> of a single-resource GET (CC's AppShowMessage / SpaceShowMessage: <c>include</c> is the only
    /// parameter).
    /// </summary>
    public static IReadOnlyList<string> ShowIncludes(IQueryCollection query, string[] valid, out CcError? error)
    {
        var errors = new List<string>();
        var unknown = query.Keys.Where(k => k != "include").ToList();
        if (unknown.Count > 0) errors.Add($"Unknown query parameter(s): '{string.Join("', '", unknown)}'. Valid parameters are: 'include'");
        var includes = query.TryGetValue("include", out var values) ? SplitList(Last(values)) : [];
        ValidateIncludes(includes, valid, errors);
        error = errors.Count > 0 ? CcError.BadQueryParameter(string.Join(", ", errors)) : null;
        return includes;
    }

    /// <summary>Keeps a parameter for the links, and splits list parameters as CC does.</summary>
    private void Collect(string key, string value)
    {
        if (key is "page" or "per_page") return;
        if (ListSpec.ScalarParameters.Contains(key) || TimeFilterName(key) != key && key.EndsWith(']'))
        {
            _given[key] = value;
            return;
        }
        // CC splits at commas (and the spaces after them), unescapes each element, and its links join the elements
        // again with their own commas escaped.
        var elements = SplitList(value);
        _lists[key] = elements;
        _given[key] = string.Join(",", elements.Select(e => e.Replace(",", "%2C", StringComparison.Ordinal)));
    }

    private void ValidatePaging(IQueryCollection query, ListSpec spec, List<string> errors)
    {
        if (query.TryGetValue("page", out var pageText))
        {
            var page = RubyToInt(Last(pageText));
            if (page > 0) Page = (int)Math.Min(page, int.MaxValue);
            else errors.Add("Page must be a positive integer");
        }
        if (query.TryGetValue("per_page", out var perPageText))
        {
            // CC says "must be a positive integer" for 0 or less; the reference (3.3) says any value outside 1..5000
            // gives "Per page must be between 1 and 5000", and the reference wins.
            var perPage = RubyToInt(Last(perPageText));
            if (perPage is >= 1 and <= 5000) PerPage = (int)perPage;
            else errors.Add("Per page must be between 1 and 5000");
        }
        if (_given.TryGetValue("order_by", out var orderBy))
        {
            var field = orderBy.StartsWith('+') || orderBy.StartsWith('-') ? orderBy[1..] : orderBy;
            if (!spec.OrderByFields.Contains(field)) errors.Add("Order by can only be: " + string.Join(", ", spec.OrderByFields.Select(f => $"'{f}'")));
            else
            {
                OrderByField = field;
                OrderDescending = orderBy.StartsWith('-');
            }
        }
    }

    /// <summary>
    /// <c>created_ats=T[,T…]</c> matches times within any of those seconds; <c>created_ats[lt|lte|gt|gte]=T</c> compares,
    /// where lte and gt take the whole second T (CC adds 0.999999 s: <c>app/fetchers/base_list_fetcher.rb</c>).
    /// Messages from CC's TimestampValidator, prefixed with the humanized attribute as ActiveModel does.
    /// </summary>
    private void ParseTimeFilters(IQueryCollection query, string attribute, List<string> errors)
    {
        var label = attribute == "created_ats" ? "Created ats" : "Updated ats";
        var created = attribute == "created_ats";
        foreach (var (key, values) in query)
        {
            if (TimeFilterName(key) != attribute) continue;
            var value = Last(values);
            var op = key == attribute ? null : key[(attribute.Length + 1)..^1];
            if (op is not null && !RelationalOperators.Contains(op)) errors.Add($"{label} Invalid relational operator: '{op}'");
            if (op is not null && value.Contains(','))
            {
                errors.Add($"{label} only accepts one value when using a relational operator");
                continue;
            }
            var texts = op is null ? (Values(key) ?? [value]) : [value];
            var seconds = new List<long>();
            foreach (var text in texts)
            {
                if (!Timestamp().IsMatch(text) || !DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                        DateTimeStyles.AssumeUniversal, out var time))
                {
                    errors.Add($"{label} has an invalid timestamp format. Timestamps should be formatted as 'YYYY-MM-DDThh:mm:ssZ'");
                    seconds.Clear();
                    break;
                }
                seconds.Add(time.ToUnixTimeSeconds());
            }
            if (seconds.Count == 0 || (op is not null && !RelationalOperators.Contains(op))) continue;
            Func<long, bool> test = op switch
            {
                null => ns => seconds.Contains(FloorSeconds(ns)),
                "lt" => ns => FloorSeconds(ns) < seconds[0],
                "lte" => ns => FloorSeconds(ns) <= seconds[0],
                "gt" => ns => FloorSeconds(ns) > seconds[0],
                _ => ns => FloorSeconds(ns) >= seconds[0],
            };
            _timeFilters.Add(created ? (c, _) => test(c) : (_, u) => test(u));
        }
    }

    private static void ValidateIncludes(IReadOnlyList<string> includes, string[] valid, List<string> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var include in includes)
        {
            if (!valid.Contains(include))
                errors.Add($"Invalid included resource: '{include}'. Valid included resources are: '{string.Join("', '", valid)}'");
            else if (!seen.Add(include)) errors.Add($"Duplicate included resource: '{include}'");
        }
    }

    /// <summary><c>created_ats</c> or <c>updated_ats</c> for those keys and their <c>[op]</c> forms; null for others.</summary>
    private static string? TimeFilterName(string key)
    {
        foreach (var name in new[] { "created_ats", "updated_ats" })
        {
            if (key == name || (key.StartsWith(name + "[", StringComparison.Ordinal) && key.EndsWith(']'))) return name;
        }
        return null;
    }

    private static long FloorSeconds(long unixNs) => unixNs / 1_000_000_000;

    /// <summary>Ruby's <c>String#to_i</c>: leading whitespace, a sign and the digits that follow; 0 when there are none.</summary>
    private static long RubyToInt(string text)
    {
        var match = LeadingInteger().Match(text);
        return match.Success && long.TryParse(match.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : match.Success ? long.MaxValue : 0;
    }

    private static string[] SplitList(string value) => value.Length == 0 ? [""] : CommaList().Split(value).Select(Uri.UnescapeDataString).ToArray();

    private static string Last(StringValues values) => values.Count == 0 ? "" : values[values.Count - 1] ?? "";

    [GeneratedRegex(@",\s*")]
    private static partial Regex CommaList();

    [GeneratedRegex(@"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"\A\s*[+-]?\d+")]
    private static partial Regex LeadingInteger();
}
