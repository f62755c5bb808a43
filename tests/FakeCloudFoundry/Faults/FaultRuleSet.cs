using System.Text.RegularExpressions;

namespace FakeCloudFoundry.Faults;

/// <summary>The active fault rules, first match wins. Thread-safe.</summary>
internal sealed class FaultRuleSet
{
    private readonly object _gate = new();
    private readonly List<ActiveRule> _rules = new();

    public void Add(FaultRule rule)
    {
        if (!FaultActions.IsKnown(rule.Action)) throw new ArgumentException($"unknown fault action '{rule.Action}'");
        if (rule.Rate is < 0 or > 1) throw new ArgumentException("rate must be between 0 and 1");
        var active = new ActiveRule(rule, new Regex(rule.Path, RegexOptions.CultureInvariant), rule.Count, new Random(rule.Seed ?? 0));
        lock (_gate) _rules.Add(active);
    }

    public void Clear()
    {
        lock (_gate) _rules.Clear();
    }

    /// <summary>The rule that fires for this request, if any (consuming one of its counted uses).</summary>
    public FaultRule? Fire(string method, string path)
    {
        lock (_gate)
        {
            if (_rules.Count == 0) return null;
            foreach (var active in _rules)
            {
                var rule = active.Rule;
                if (!string.IsNullOrEmpty(rule.Method) && !string.Equals(rule.Method, method, StringComparison.OrdinalIgnoreCase)) continue;
                if (active.Remaining is <= 0) continue;
                if (!active.PathPattern.IsMatch(path)) continue;
                if (rule.Rate is { } rate && active.Random.NextDouble() >= rate) continue;
                if (active.Remaining is not null) active.Remaining--;
                return rule;
            }
            return null;
        }
    }

    private sealed class ActiveRule(FaultRule rule, Regex pathPattern, int? remaining, Random random)
    {
        public FaultRule Rule { get; } = rule;
        public Regex PathPattern { get; } = pathPattern;
        public int? Remaining { get; set; } = remaining;
        public Random Random { get; } = random;
    }
}
