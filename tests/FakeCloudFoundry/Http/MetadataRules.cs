using System.Text.RegularExpressions;

namespace FakeCloudFoundry.Http;

/// <summary>
/// CC's rules for label and annotation keys and label values, with its messages (cloud_controller_ng
/// <c>app/messages/metadata_validator_helper.rb</c>, <c>lib/cloud_controller/domain_decorator.rb</c>). Ruby's <c>\w</c>
/// and <c>\d</c> are ASCII, so the character classes here spell them out.
/// </summary>
internal static partial class MetadataRules
{
    public const int MaxNameOrValueLength = 63;
    public const int MaxPrefixLength = 253;
    public const int MaxAnnotationValueLength = 5000;
    private const string ReservedPrefix = "cloudfoundry.org";

    /// <summary>CC's message for a bad key (<c>prefix/name</c> or <c>name</c>), or null when it is valid.</summary>
    public static string? KeyError(string key)
    {
        if (string.IsNullOrWhiteSpace(key)) return "key cannot be empty string";
        if (key.Count(c => c == '/') > 1) return "key has more than one '/'";
        var (prefix, name) = SplitKey(key);
        if (prefix is not null)
        {
            if (!DnsName().IsMatch(prefix)) return $"prefix '{prefix}' must be in valid dns format";
            if (prefix.Length > MaxPrefixLength) return $"prefix '{First8(prefix)}...' is greater than {MaxPrefixLength} characters";
            if (prefix.Equals(ReservedPrefix, StringComparison.OrdinalIgnoreCase)) return $"prefix '{ReservedPrefix}' is reserved";
        }
        if (string.IsNullOrWhiteSpace(name)) return "key cannot be empty string";
        return NameOrValueError(name);
    }

    /// <summary>CC's message for a bad label value, or null when it is valid (empty is valid).</summary>
    public static string? LabelValueError(string value) => value.Length == 0 ? null : NameOrValueError(value);

    /// <summary>Ruby's <c>prefix, name = key.split('/')</c>: no '/' → no prefix; <c>"a/"</c> → name "".</summary>
    public static (string? Prefix, string Name) SplitKey(string key)
    {
        var slash = key.IndexOf('/');
        return slash < 0 ? (null, key) : (key[..slash], key[(slash + 1)..]);
    }

    private static string? NameOrValueError(string text)
    {
        if (InvalidCharacter().IsMatch(text)) return $"'{text}' contains invalid characters";
        if (!AlphanumericStartAndEnd().IsMatch(text)) return $"'{text}' starts or ends with invalid characters";
        if (text.Length > MaxNameOrValueLength) return $"'{First8(text)}...' is greater than {MaxNameOrValueLength} characters";
        return null;
    }

    private static string First8(string text) => text.Length <= 8 ? text : text[..8];

    [GeneratedRegex(@"[^A-Za-z0-9_\-.]")]
    private static partial Regex InvalidCharacter();

    [GeneratedRegex(@"\A(?=[a-zA-Z0-9]).*[a-zA-Z0-9]\z")]
    private static partial Regex AlphanumericStartAndEnd();

    [GeneratedRegex(@"\A(([a-z0-9]|[a-z0-9][a-z0-9-]{0,61}[a-z0-9])\.)+([a-z0-9]|[a-z0-9][a-z0-9-]{0,61}[a-z0-9])\Z", RegexOptions.IgnoreCase)]
    private static partial Regex DnsName();
}
