using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CfTasks.Client.Models;

namespace CfTasks.Client.Services;

/// <summary>
/// Names for tab completion: organizations, spaces, apps of the targeted space and task names. Each look-up is one
/// small request (at most <see cref="MaxNames"/> names, never a walk through every page) bounded by
/// <see cref="Timeout"/>, and its answer is cached per session for <see cref="CacheLifetime"/> so pressing Tab again
/// costs nothing. Failures surface as exceptions; the completers turn every failure into "no suggestions".
/// </summary>
public static class CompletionService
{
    /// <summary>The most names one look-up asks for (one page).</summary>
    public const int MaxNames = 200;

    /// <summary>How long a look-up may take, retries included.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>How long an answer is reused.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(10);

    private static readonly ConditionalWeakTable<CfSession, ConcurrentDictionary<string, CacheEntry>> Caches = new();

    private sealed record CacheEntry(DateTimeOffset Expires, IReadOnlyList<string> Names);

    /// <summary>Organizations the user can see, by name.</summary>
    public static Task<IReadOnlyList<string>> OrganizationNamesAsync(CfSession session, CancellationToken cancellationToken) =>
        CachedAsync(session, "orgs", async ct =>
        {
            var page = await CfCall.RunAsync(c => session.CloudController.ListOrganizations(null, 1, MaxNames, c), ct).ConfigureAwait(false);
            return Names(page.Resources, o => o.Name);
        }, cancellationToken);

    /// <summary>
    /// Spaces of <paramref name="organization"/> (by name), or of the targeted organization when it is null. Naming
    /// another organization costs one more request (its guid).
    /// </summary>
    public static Task<IReadOnlyList<string>> SpaceNamesAsync(CfSession session, string? organization, CancellationToken cancellationToken)
    {
        var target = session.Target;
        var sameOrg = organization is null || string.Equals(organization, target.Organization, StringComparison.Ordinal);
        return CachedAsync(session, "spaces:" + (sameOrg ? target.OrganizationGuid : "name:" + organization), async ct =>
        {
            var orgGuid = target.OrganizationGuid;
            if (!sameOrg)
            {
                var orgs = await CfCall.RunAsync(c => session.CloudController.ListOrganizations([AppService.EscapeListValue(organization!)], 1, 1, c), ct)
                    .ConfigureAwait(false);
                orgGuid = orgs.Resources?.FirstOrDefault()?.Guid;
            }
            if (orgGuid is null) return [];
            var page = await CfCall.RunAsync(c => session.CloudController.ListSpaces(null, [orgGuid], 1, MaxNames, c), ct).ConfigureAwait(false);
            return Names(page.Resources, s => s.Name);
        }, cancellationToken);
    }

    /// <summary>Apps of the targeted space, by name (nothing when no space is targeted).</summary>
    public static Task<IReadOnlyList<string>> AppNamesAsync(CfSession session, CancellationToken cancellationToken)
    {
        var space = session.Target.SpaceGuid;
        if (space is null) return Task.FromResult<IReadOnlyList<string>>([]);
        return CachedAsync(session, "apps:" + space, async ct =>
        {
            var page = await CfCall.RunAsync(c => session.CloudController.ListApps(null, null, [space], "name", MaxNames, c), ct).ConfigureAwait(false);
            return Names(page.Resources, a => a.Name);
        }, cancellationToken);
    }

    /// <summary>
    /// Distinct names of the most recent tasks of <paramref name="appName"/> in the targeted space, or of every app in
    /// the space when it is null. Naming an app costs one more request (its guid).
    /// </summary>
    public static Task<IReadOnlyList<string>> TaskNamesAsync(CfSession session, string? appName, CancellationToken cancellationToken)
    {
        var space = session.Target.SpaceGuid;
        if (space is null) return Task.FromResult<IReadOnlyList<string>>([]);
        return CachedAsync(session, $"tasks:{space}:{appName}", async ct =>
        {
            Page<TaskResource> page;
            if (appName is null)
            {
                page = await CfCall.RunAsync(c => session.CloudController.ListTasks(null, null, null, null, [space], null, "-created_at", MaxNames, c), ct)
                    .ConfigureAwait(false);
            }
            else
            {
                var apps = await CfCall.RunAsync(c => session.CloudController.ListApps(null, [AppService.EscapeListValue(appName)], [space], null, 1, c), ct)
                    .ConfigureAwait(false);
                var appGuid = apps.Resources?.FirstOrDefault(a => a.Name == appName)?.Guid;
                if (appGuid is null) return [];
                page = await CfCall.RunAsync(c => session.CloudController.ListAppTasks(appGuid, null, null, null, null, null, "-created_at", MaxNames, c), ct)
                    .ConfigureAwait(false);
            }
            return Names(page.Resources, t => t.Name);
        }, cancellationToken);
    }

    private static IReadOnlyList<string> Names<T>(IEnumerable<T>? resources, Func<T, string?> name) =>
        (resources ?? []).Select(name).OfType<string>().Where(n => n.Length > 0).Distinct(StringComparer.Ordinal)
        .Order(StringComparer.OrdinalIgnoreCase).ToList();

    private static async Task<IReadOnlyList<string>> CachedAsync(
        CfSession session, string key, Func<CancellationToken, Task<IReadOnlyList<string>>> fetch, CancellationToken cancellationToken)
    {
        var cache = Caches.GetValue(session, static _ => new ConcurrentDictionary<string, CacheEntry>(StringComparer.Ordinal));
        var now = DateTimeOffset.UtcNow;
        if (cache.TryGetValue(key, out var hit) && hit.Expires > now) return hit.Names;

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Timeout);
        var names = await fetch(bounded.Token).ConfigureAwait(false);
        cache[key] = new CacheEntry(now + CacheLifetime, names);
        return names;
    }
}
