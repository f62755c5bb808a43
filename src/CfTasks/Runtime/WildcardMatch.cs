using System.Management.Automation;

namespace CfTasks.Runtime;

/// <summary>PowerShell's wildcard matching of names, the way CfTasks' name parameters use it (case-insensitive).</summary>
internal static class WildcardMatch
{
    /// <summary>A test matching any of <paramref name="names"/>, or null when none of them has a wildcard (exact names go to the server).</summary>
    public static Func<string, bool>? For(IReadOnlyCollection<string>? names)
    {
        if (names is null || !names.Any(WildcardPattern.ContainsWildcardCharacters)) return null;
        var patterns = names.Select(Pattern).ToList();
        return name => patterns.Any(p => p.IsMatch(name));
    }

    /// <summary>One name as a pattern (a name without wildcards matches only itself, ignoring case).</summary>
    public static WildcardPattern Pattern(string name) => new(name, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
}
