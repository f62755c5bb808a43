using System.Text.RegularExpressions;
using CfTasks.Client.Errors;

namespace CfTasks.Client.Services;

/// <summary>
/// Cloud Controller's rules for label and annotation keys and values (its metadata validator), checked before a
/// request is sent so a bad key is reported by name instead of as a 422 about the whole body:
/// <list type="bullet">
/// <item>a key is <c>name</c> or <c>prefix/name</c>; the prefix is a DNS name of at most 253 characters with at least
/// one dot, and not <c>cloudfoundry.org</c>;</item>
/// <item>a name, and a label value that is not empty, is 1 to 63 characters of <c>A-Z a-z 0-9 - _ .</c> that begin and
/// end with a letter or digit;</item>
/// <item>an annotation value has at most 5000 characters of any text; an annotation key is only checked when its value
/// is not blank (a blank or null value removes the key).</item>
/// </list>
/// A null value (removing the key) is always allowed.
/// </summary>
public static class MetadataRules
{
    /// <summary>The longest name (the part after the prefix) and the longest label value.</summary>
    public const int MaxNameLength = 63;

    /// <summary>The longest key prefix.</summary>
    public const int MaxPrefixLength = 253;

    /// <summary>The longest annotation value, in characters.</summary>
    public const int MaxAnnotationValueLength = 5000;

    /// <summary>The prefix Cloud Foundry keeps for itself.</summary>
    public const string ReservedPrefix = "cloudfoundry.org";

    private static readonly Regex OutsideAlphabet = new(@"[^A-Za-z0-9_.\-]", RegexOptions.CultureInvariant);
    private static readonly Regex LetterOrDigitAtBothEnds = new(@"\A[A-Za-z0-9](.*[A-Za-z0-9])?\z", RegexOptions.CultureInvariant | RegexOptions.Singleline);
    private static readonly Regex DnsName = new(
        @"\A(([a-z0-9]|[a-z0-9][a-z0-9-]{0,61}[a-z0-9])\.)+([a-z0-9]|[a-z0-9][a-z0-9-]{0,61}[a-z0-9])\z",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>What is wrong with a label (its key or its value), or null when Cloud Controller accepts it.</summary>
    public static string? LabelProblem(string key, string? value) =>
        KeyProblem(key) ?? (string.IsNullOrEmpty(value) ? null : TextProblem(value!, "the value"));

    /// <summary>What is wrong with an annotation, or null when Cloud Controller accepts it.</summary>
    public static string? AnnotationProblem(string key, string? value)
    {
        if (value is null) return null;
        if (!string.IsNullOrWhiteSpace(value) && KeyProblem(key) is { } keyProblem) return keyProblem;
        var length = CharacterCount(value);
        return length > MaxAnnotationValueLength ? $"the value has {length} characters; at most {MaxAnnotationValueLength} are allowed" : null;
    }

    /// <summary>
    /// Checks every label and annotation; the first one that breaks a rule is an InvalidMetadata error naming its key.
    /// </summary>
    public static void Validate(IReadOnlyDictionary<string, string?>? labels, IReadOnlyDictionary<string, string?>? annotations)
    {
        foreach (var pair in labels ?? Empty)
            if (LabelProblem(pair.Key, pair.Value) is { } problem) throw CfErrors.InvalidMetadata("label", pair.Key, problem);
        foreach (var pair in annotations ?? Empty)
            if (AnnotationProblem(pair.Key, pair.Value) is { } problem) throw CfErrors.InvalidMetadata("annotation", pair.Key, problem);
    }

    private static readonly IReadOnlyDictionary<string, string?> Empty = new Dictionary<string, string?>();

    private static string? KeyProblem(string key)
    {
        if (string.IsNullOrWhiteSpace(key)) return "a key cannot be empty";
        var slash = key.IndexOf('/');
        if (slash >= 0 && key.IndexOf('/', slash + 1) >= 0) return "a key has at most one '/', between its prefix and its name";
        if (slash >= 0)
        {
            var prefix = key.Substring(0, slash);
            if (!DnsName.IsMatch(prefix)) return $"the prefix '{prefix}' is not a DNS name such as 'example.com'";
            if (prefix.Length > MaxPrefixLength) return $"the prefix has {prefix.Length} characters; at most {MaxPrefixLength} are allowed";
            if (string.Equals(prefix, ReservedPrefix, StringComparison.OrdinalIgnoreCase)) return $"the prefix '{ReservedPrefix}' is reserved for Cloud Foundry";
        }
        var name = slash >= 0 ? key.Substring(slash + 1) : key;
        if (string.IsNullOrWhiteSpace(name)) return "the name after the prefix cannot be empty";
        return TextProblem(name, "the name");
    }

    private static string? TextProblem(string text, string what)
    {
        if (OutsideAlphabet.IsMatch(text)) return $"{what} '{text}' has characters other than letters, digits, '-', '_' and '.'";
        if (!LetterOrDigitAtBothEnds.IsMatch(text)) return $"{what} '{text}' must begin and end with a letter or digit";
        if (text.Length > MaxNameLength) return $"{what} has {text.Length} characters; at most {MaxNameLength} are allowed";
        return null;
    }

    /// <summary>Characters as Ruby counts them (code points, not UTF-16 units).</summary>
    private static int CharacterCount(string text)
    {
        var count = 0;
        foreach (var c in text)
            if (!char.IsLowSurrogate(c)) count++;
        return count;
    }
}
