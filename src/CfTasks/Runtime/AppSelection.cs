using System.Management.Automation;
using CfTasks.Client;
using CfTasks.Client.Errors;

namespace CfTasks.Runtime;

/// <summary>
/// Turns the app names a user typed into apps of the targeted space: exact names go to the server as one
/// <c>names=</c> filter, wildcard patterns are matched here against one listing. A name or pattern that matches
/// nothing is a non-terminating AppNotFound error of the command, never silently dropped.
/// </summary>
internal static class AppSelection
{
    /// <summary>The apps, each once, in the order found (exact names first); the missing ones reported through <paramref name="cmdlet"/>.</summary>
    public static async Task<IReadOnlyList<CfApp>> ResolveAllAsync(CfCmdlet cmdlet, CfSession session, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var found = new List<CfApp>();
        await foreach (var app in ResolveAsync(cmdlet, session, names, cancellationToken).ConfigureAwait(false)) found.Add(app);
        return found;
    }

    /// <summary>The apps as they are found; the missing ones reported through <paramref name="cmdlet"/>.</summary>
    public static async IAsyncEnumerable<CfApp> ResolveAsync(
        CfCmdlet cmdlet, CfSession session, IReadOnlyList<string> names, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var exact = names.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)).Distinct(StringComparer.Ordinal).ToList();
        var patterns = names.Where(WildcardPattern.ContainsWildcardCharacters).Distinct(StringComparer.Ordinal)
            .Select(p => (Text: p, Pattern: WildcardMatch.Pattern(p))).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var where = CfErrors.SpaceOf(session.Target);

        if (exact.Count > 0)
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var app in session.Apps.ListAsync(exact, null, cancellationToken).ConfigureAwait(false))
            {
                if (!exact.Contains(app.Name)) continue; // the server's match may be case-insensitive; names here are exact
                found.Add(app.Name);
                if (seen.Add(app.Guid)) yield return app;
            }
            foreach (var name in exact.Where(n => !found.Contains(n))) cmdlet.PostError(CfErrors.AppNotFound(name, where), name);
        }

        if (patterns.Count > 0)
        {
            var matched = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var app in session.Apps.ListAsync(null, name => patterns.Any(p => p.Pattern.IsMatch(name)), cancellationToken).ConfigureAwait(false))
            {
                foreach (var p in patterns.Where(p => p.Pattern.IsMatch(app.Name))) matched.Add(p.Text);
                if (seen.Add(app.Guid)) yield return app;
            }
            foreach (var pattern in patterns.Where(p => !matched.Contains(p.Text)))
                cmdlet.PostError(CfErrors.AppNotFound(pattern.Text, where), pattern.Text);
        }
    }
}
