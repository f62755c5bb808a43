using System.Text.RegularExpressions;

namespace FakeCloudFoundry.Http;

/// <summary>
/// A CC <c>label_selector</c>, parsed and validated as CC does (cloud_controller_ng <c>app/messages/list_message.rb</c>,
/// <c>app/models/helpers/metadata_helpers.rb</c>, <c>app/messages/validators/label_selector_requirement_validator.rb</c>):
/// requirements split at commas outside parentheses, each one of <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k=v</c>,
/// <c>k==v</c>, <c>k!=v</c>, <c>k</c>, <c>!k</c>, tried in that order; all must hold. Nothing is trimmed: a space
/// makes a key or value invalid, as in CC.
/// </summary>
internal sealed partial class LabelSelector
{
    public const int MaxRequirements = 50;
    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements) => _requirements = requirements;

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.TrueForAll(r => r.Matches(labels));

    /// <summary>The selector, or null with CC's messages (several are possible, one per bad requirement).</summary>
    public static LabelSelector? Parse(string text, out List<string> errors)
    {
        errors = new List<string>();
        var parts = RequirementSplitter().Matches(text).Select(m => m.Value).ToList();
        if (parts.Count == 0)
        {
            errors.Add("Missing label_selector value");
            return null;
        }
        if (parts.Count > MaxRequirements)
        {
            errors.Add($"Too many label_selector requirements (maximum is {MaxRequirements})");
            return null;
        }
        var requirements = new List<Requirement>(parts.Count);
        foreach (var part in parts)
        {
            var requirement = Requirement.Parse(part);
            var error = requirement is null ? "Invalid label_selector value" : requirement.Error();
            if (error is not null) errors.Add(error);
            else requirements.Add(requirement!);
        }
        return errors.Count == 0 ? new LabelSelector(requirements) : null;
    }

    private enum Operator
    {
        In,
        NotIn,
        Equal,
        NotEqual,
        Exists,
        NotExists,
    }

    private sealed record Requirement(string Key, Operator Operator, string[] Values)
    {
        public static Requirement? Parse(string text)
        {
            (Regex Pattern, Operator Operator)[] patterns =
            [
                (InPattern(), Operator.In), (NotInPattern(), Operator.NotIn), (EqualPattern(), Operator.Equal),
                (NotEqualPattern(), Operator.NotEqual), (ExistsPattern(), Operator.Exists), (NotExistsPattern(), Operator.NotExists),
            ];
            foreach (var (pattern, op) in patterns)
            {
                var match = pattern.Match(text);
                if (match.Success) return new Requirement(match.Groups["key"].Value, op, RubySplit(match.Groups["values"].Value));
            }
            return null;
        }

        public string? Error() => MetadataRules.KeyError(Key) ?? Values.Select(MetadataRules.LabelValueError).FirstOrDefault(e => e is not null);

        public bool Matches(IReadOnlyDictionary<string, string> labels)
        {
            var has = labels.TryGetValue(Key, out var value);
            return Operator switch
            {
                Operator.In or Operator.Equal => has && Values.Contains(value),
                Operator.NotIn or Operator.NotEqual => !has || !Values.Contains(value),
                Operator.Exists => has,
                _ => !has,
            };
        }

        /// <summary>Ruby's <c>String#split(',')</c>: trailing empty strings are dropped.</summary>
        private static string[] RubySplit(string values)
        {
            var parts = values.Split(',').ToList();
            while (parts.Count > 0 && parts[^1].Length == 0) parts.RemoveAt(parts.Count - 1);
            return parts.ToArray();
        }
    }

    [GeneratedRegex(@"(?:\(.*?\)|[^,])+")]
    private static partial Regex RequirementSplitter();

    [GeneratedRegex(@"\A(?<key>.*?) in \((?<values>.*)\)\z")]
    private static partial Regex InPattern();

    [GeneratedRegex(@"\A(?<key>.*?) notin \((?<values>.*)\)\z")]
    private static partial Regex NotInPattern();

    [GeneratedRegex(@"\A(?<key>[A-Za-z0-9_\-./]+)(==?)(?<values>.*)\z")]
    private static partial Regex EqualPattern();

    [GeneratedRegex(@"\A(?<key>[A-Za-z0-9_\-./]+)(!=)(?<values>.*)\z")]
    private static partial Regex NotEqualPattern();

    [GeneratedRegex(@"\A(?<key>[A-Za-z0-9_\-./]+)\z")]
    private static partial Regex ExistsPattern();

    [GeneratedRegex(@"\A!(?<key>[A-Za-z0-9_\-./]+)\z")]
    private static partial Regex NotExistsPattern();
}
