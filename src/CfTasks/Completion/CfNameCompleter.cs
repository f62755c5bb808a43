using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using CfTasks.Client;
using CfTasks.Runtime;

namespace CfTasks.Completion;

/// <summary>
/// The shared shape of CfTasks' argument completers: find the connection (-Target if already typed, else the session
/// default), ask the client for names with a short timeout, and offer those matching what was typed, quoted when
/// needed. A completer never throws and never waits long: no connection, a slow or failing foundation, anything
/// unexpected — the answer is simply no suggestions.
/// </summary>
public abstract class CfNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            if (SessionFor(fakeBoundParameters) is not { } session) return [];
            var names = Task.Run(() => GetNamesAsync(session, fakeBoundParameters, CancellationToken.None)).GetAwaiter().GetResult();
            return Match(names, wordToComplete);
        }
        catch
        {
            return []; // completion must never disturb the prompt
        }
    }

    /// <summary>The candidate names (all of them; matching is done here).</summary>
    protected abstract Task<IReadOnlyList<string>> GetNamesAsync(CfSession session, IDictionary fakeBoundParameters, CancellationToken cancellationToken);

    /// <summary>Names starting with (or wildcard-matching) the typed word, as completion results quoted when needed.</summary>
    internal static IEnumerable<CompletionResult> Match(IEnumerable<string> names, string? wordToComplete)
    {
        var typed = Unquote(wordToComplete ?? "");
        var prefix = WildcardPattern.ContainsWildcardCharacters(typed) ? typed : WildcardPattern.Escape(typed);
        var pattern = WildcardPattern.Get(prefix.EndsWith('*') ? prefix : prefix + "*", WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
        return names.Where(pattern.IsMatch)
            .Select(name => new CompletionResult(Quote(name), name, CompletionResultType.ParameterValue, name))
            .ToList();
    }

    /// <summary>A single value of a fake-bound parameter as a string (first element of an array), or null.</summary>
    protected static string? BoundString(IDictionary fakeBoundParameters, string name)
    {
        if (!fakeBoundParameters.Contains(name)) return null;
        var value = fakeBoundParameters[name];
        if (value is PSObject wrapped) value = wrapped.BaseObject;
        if (value is IEnumerable many and not string) value = many.Cast<object?>().FirstOrDefault();
        if (value is PSObject inner) value = inner.BaseObject;
        return value switch
        {
            string text when !string.IsNullOrWhiteSpace(text) => text,
            CfApp app => app.Name,
            _ => null,
        };
    }

    private static CfSession? SessionFor(IDictionary fakeBoundParameters)
    {
        var bound = fakeBoundParameters.Contains("Target") ? fakeBoundParameters["Target"] : null;
        if (bound is PSObject wrapped) bound = wrapped.BaseObject;
        var target = bound as CfTarget ?? CfTargetRegistry.Default;
        // Connect-CfTarget toward another foundation: the current connection's names would be wrong there.
        if (BoundString(fakeBoundParameters, "ApiEndpoint") is { } api && target is not null
            && !string.Equals(api.Trim().TrimEnd('/'), target.ApiEndpoint.ToString().TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            return null;
        return target?.Session as CfSession;
    }

    private static string Unquote(string word)
    {
        if (word.Length > 0 && (word[0] == '\'' || word[0] == '"')) word = word[1..];
        if (word.Length > 0 && (word[^1] == '\'' || word[^1] == '"')) word = word[..^1];
        return word;
    }

    private static string Quote(string name) =>
        name.Any(c => char.IsWhiteSpace(c) || "'\"`$&|;,(){}[]@#<>*?".Contains(c)) ? "'" + name.Replace("'", "''") + "'" : name;
}
