using System.Management.Automation;
using CfTasks.Client;
using CfTasks.Client.Errors;

namespace CfTasks.Runtime;

/// <summary>
/// Turns the app names a user typed into apps of the targeted space: exact names go to the server as one
/// <c>names=</c> filter, wildcard patterns are matched here against one listing. As with PowerShell's own cmdlets
/// (<c>Get-Process zzz*</c>), a pattern that matches nothing yields nothing, silently; a literal name that matches
/// nothing is a non-terminating AppNotFound error naming it.
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
        var patterns = names.Where(WildcardPattern.ContainsWildcardCharacters).Distinct(StringComparer.Ordinal).Select(WildcardMatch.Pattern).ToList();
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
            await foreach (var app in session.Apps.ListAsync(null, name => patterns.Any(p => p.IsMatch(name)), cancellationToken).ConfigureAwait(false))
                if (seen.Add(app.Guid)) yield return app;
        }
    }
}
