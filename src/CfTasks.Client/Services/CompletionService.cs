using System.Collections.Concurrent;
using CfTasks.Client.Api;
using CfTasks.Client.Models;

namespace CfTasks.Client.Services;

/// <summary>
/// Names for tab completion: organizations, spaces, apps of the targeted space and task names. Each look-up is one
/// small request (at most <see cref="MaxNames"/> names, never a walk through every page) bounded by
/// <see cref="Timeout"/>, and its answer is cached per connection for <see cref="CacheLifetime"/> so pressing Tab again
/// costs nothing. Failures surface as exceptions; the completers turn every failure into "no suggestions".
/// </summary>
public sealed class CompletionService
{
    /// <summary>The most names one look-up asks for (one page).</summary>
    public const int MaxNames = 200;

    /// <summary>How long a look-up may take, retries included.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>How long an answer is reused.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, CacheEntry> _cache = new(StringComparer.Ordinal);
    private readonly ICloudControllerApi _cloudController;
    private readonly PagedReader _paging;
    private readonly CfTarget _target;

    internal CompletionService(ICloudControllerApi cloudController, PagedReader paging, CfTarget target)
    {
        _cloudController = cloudController;
        _paging = paging;
        _target = target;
    }

    private sealed record CacheEntry(DateTimeOffset Expires, IReadOnlyList<string> Names);

    /// <summary>Organizations the user can see, by name.</summary>
    public Task<IReadOnlyList<string>> OrganizationNamesAsync(CancellationToken cancellationToken) =>
        CachedAsync("orgs", async ct =>
        {
            var page = await _paging.FirstPageAsync(c => _cloudController.ListOrganizations(null, 1, MaxNames, c), CfJsonContext.Default.ListOrganizationResource, ct).ConfigureAwait(false);
            return Names(page.Resources, o => o.Name);
        }, cancellationToken);

    /// <summary>
    /// Spaces of <paramref name="organization"/> (by name), or of the targeted organization when it is null. Naming
    /// another organization costs one more request (its guid).
    /// </summary>
    public Task<IReadOnlyList<string>> SpaceNamesAsync(string? organization, CancellationToken cancellationToken)
    {
        var target = _target;
        var sameOrg = organization is null || string.Equals(organization, target.Organization, StringComparison.Ordinal);
        return CachedAsync("spaces:" + (sameOrg ? target.OrganizationGuid : "name:" + organization), async ct =>
        {
            var orgGuid = target.OrganizationGuid;
            if (!sameOrg)
            {
                var orgs = await _paging.FirstPageAsync(c => _cloudController.ListOrganizations([AppService.EscapeListValue(organization!)], 1, 1, c), CfJsonContext.Default.ListOrganizationResource, ct)
                    .ConfigureAwait(false);
                orgGuid = orgs.Resources?.FirstOrDefault()?.Guid;
            }
            if (orgGuid is null) return [];
            var page = await _paging.FirstPageAsync(c => _cloudController.ListSpaces(null, [orgGuid], 1, MaxNames, c), CfJsonContext.Default.ListSpaceResource, ct).ConfigureAwait(false);
            return Names(page.Resources, s => s.Name);
        }, cancellationToken);
    }

    /// <summary>Apps of the targeted space, by name (nothing when no space is targeted).</summary>
    public Task<IReadOnlyList<string>> AppNamesAsync(CancellationToken cancellationToken)
    {
        var space = _target.SpaceGuid;
        if (space is null) return Task.FromResult<IReadOnlyList<string>>([]);
        return CachedAsync("apps:" + space, async ct =>
        {
            var page = await _paging.FirstPageAsync(c => _cloudController.ListApps(null, null, [space], "name", MaxNames, c), CfJsonContext.Default.ListAppResource, ct).ConfigureAwait(false);
            return Names(page.Resources, a => a.Name);
        }, cancellationToken);
    }

    /// <summary>
    /// Distinct names of the most recent tasks of <paramref name="appName"/> in the targeted space, or of every app in
    /// the space when it is null. Naming an app costs one more request (its guid).
    /// </summary>
    public Task<IReadOnlyList<string>> TaskNamesAsync(string? appName, CancellationToken cancellationToken)
    {
        var space = _target.SpaceGuid;
        if (space is null) return Task.FromResult<IReadOnlyList<string>>([]);
        return CachedAsync($"tasks:{space}:{appName}", async ct =>
        {
            Page<TaskResource> page;
            if (appName is null)
            {
                page = await _paging.FirstPageAsync(c => _cloudController.ListTasks(null, null, null, null, [space], null, TaskListing.NewestFirst, MaxNames, c), CfJsonContext.Default.ListTaskResource, ct)
                    .ConfigureAwait(false);
            }
            else
            {
                var apps = await _paging.FirstPageAsync(c => _cloudController.ListApps(null, [AppService.EscapeListValue(appName)], [space], null, 1, c), CfJsonContext.Default.ListAppResource, ct)
                    .ConfigureAwait(false);
                var appGuid = apps.Resources?.FirstOrDefault(a => a.Name == appName)?.Guid;
                if (appGuid is null) return [];
                page = await _paging.FirstPageAsync(c => _cloudController.ListAppTasks(appGuid, null, null, null, null, null, TaskListing.NewestFirst, MaxNames, c), CfJsonContext.Default.ListTaskResource, ct)
                    .ConfigureAwait(false);
            }
            return Names(page.Resources, t => t.Name);
        }, cancellationToken);
    }

    private static IReadOnlyList<string> Names<T>(IEnumerable<T>? resources, Func<T, string?> name) =>
        (resources ?? []).Select(name).OfType<string>().Where(n => n.Length > 0).Distinct(StringComparer.Ordinal)
        .Order(StringComparer.OrdinalIgnoreCase).ToList();

    private async Task<IReadOnlyList<string>> CachedAsync(
        string key, Func<CancellationToken, Task<IReadOnlyList<string>>> fetch, CancellationToken cancellationToken)
    {
        var cache = _cache;
        var now = DateTimeOffset.UtcNow;
        if (cache.TryGetValue(key, out var hit) && hit.Expires > now) return hit.Names;

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Timeout);
        var names = await fetch(bounded.Token).ConfigureAwait(false);
        cache[key] = new CacheEntry(now + CacheLifetime, names);
        return names;
    }
}
