using System.Management.Automation;
using System.Runtime.CompilerServices;
using CfTasks.Client;
using CfTasks.Client.Errors;

namespace CfTasks.Runtime;

/// <summary>
/// Turns the app names a user typed into apps of the targeted space: exact names go to the server as one
/// <c>names=</c> filter, wildcard patterns are matched here against one listing. A name or pattern that matches
/// nothing is reported through <paramref name="onMissing"/> (non-terminating CfAppNotFound), never silently dropped.
/// </summary>
internal static class AppSelection
{
    public static async IAsyncEnumerable<CfApp> ResolveAsync(
        CfSession session, IReadOnlyList<string> names, Action<CfException> onMissing, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var exact = names.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)).Distinct(StringComparer.Ordinal).ToList();
        var patterns = names.Where(WildcardPattern.ContainsWildcardCharacters).Distinct(StringComparer.Ordinal)
            .Select(p => (Text: p, Pattern: new WildcardPattern(p, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant))).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var where = $"space '{session.Target.Space}' of org '{session.Target.Organization}'";

        if (exact.Count > 0)
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var app in session.Apps.ListAsync(exact, null, cancellationToken).ConfigureAwait(false))
            {
                if (!exact.Contains(app.Name)) continue; // the server's match may be case-insensitive; names here are exact
                found.Add(app.Name);
                if (seen.Add(app.Guid)) yield return app;
            }
            foreach (var name in exact.Where(n => !found.Contains(n)))
                onMissing(new CfException(CfErrorKind.NotFound, "CfAppNotFound", $"App '{name}' not found in {where}.", name));
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
                onMissing(new CfException(CfErrorKind.NotFound, "CfAppNotFound", $"No app in {where} matches '{pattern.Text}'.", pattern.Text));
        }
    }
}
