using System.Runtime.CompilerServices;
using CfTasks.Client.Api;
using CfTasks.Client.Errors;
using CfTasks.Client.Models;

namespace CfTasks.Client.Services;

/// <summary>Apps of the targeted space: listing, look-up by name, batched guid → name resolution, process templates.</summary>
public sealed class AppService
{
    /// <summary>How many guids one <c>guids=</c> filter carries (keeps URLs well under common limits).</summary>
    public const int GuidsPerRequest = 50;

    private readonly ICloudControllerApi _cloudController;
    private readonly PagedReader _paging;
    private readonly CfTarget _target;

    internal AppService(ICloudControllerApi cloudController, PagedReader paging, CfTarget target)
    {
        _cloudController = cloudController;
        _paging = paging;
        _target = target;
    }

    /// <summary>
    /// Apps in the targeted space, by name. Exact <paramref name="names"/> go to the server as a filter; when
    /// <paramref name="match"/> is given (wildcards), all apps are listed and filtered here.
    /// </summary>
    public async IAsyncEnumerable<CfApp> ListAsync(
        IReadOnlyCollection<string>? names, Func<string, bool>? match, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var space = _target.RequireSpaceGuid();
        var serverNames = match is null && names is { Count: > 0 } ? names.Select(EscapeListValue).ToList() : null;
        var apps = _paging.ReadAllAsync(
            ct => _cloudController.ListApps(null, serverNames, [space], "name", PagedReader.MaxPerPage, ct),
            CfJsonContext.Default.ListAppResource, cancellationToken);
        await foreach (var app in apps.ConfigureAwait(false))
        {
            if (match is null || match(app.Name)) yield return CfObjectMapper.ToApp(app, _target);
        }
    }

    /// <summary>The app of that name in the targeted space, or an AppNotFound error.</summary>
    public async Task<CfApp> GetByNameAsync(string name, CancellationToken cancellationToken)
    {
        var space = _target.RequireSpaceGuid();
        var page = await _paging.FirstPageAsync(
            ct => _cloudController.ListApps(null, [EscapeListValue(name)], [space], null, 1, ct), CfJsonContext.Default.ListAppResource, cancellationToken).ConfigureAwait(false);
        var app = page.Resources?.FirstOrDefault(a => a.Name == name) ?? throw CfErrors.AppNotFound(name, CfErrors.SpaceOf(_target));
        return CfObjectMapper.ToApp(app, _target);
    }

    /// <summary>
    /// Where apps are, by guid: each app's name and the names of its space and organization, fetched in batches of
    /// <see cref="GuidsPerRequest"/> apps with their spaces and organizations included (one request per batch, never one
    /// per app, space or task). An app that is gone or not visible is left out.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, AppPlacement>> GetPlacementsAsync(IEnumerable<string> appGuids, CancellationToken cancellationToken)
    {
        var places = new Dictionary<string, AppPlacement>(StringComparer.Ordinal);
        foreach (var batch in appGuids.Distinct(StringComparer.Ordinal).Chunk(GuidsPerRequest))
        {
            var page = await CfCall.RunAsync(ct => _cloudController.ListAppPlacements(batch, "space.organization", GuidsPerRequest, ct), cancellationToken)
                .ConfigureAwait(false);
            var organizations = (page.Included?.Organizations ?? []).ToDictionary(o => o.Guid, o => o.Name, StringComparer.Ordinal);
            var spaces = (page.Included?.Spaces ?? []).ToDictionary(s => s.Guid, StringComparer.Ordinal);
            foreach (var app in page.Resources ?? [])
            {
                var space = app.Relationships?.Space?.Data?.Guid is { } spaceGuid ? spaces.GetValueOrDefault(spaceGuid) : null;
                var organization = space?.Relationships?.Organization?.Data?.Guid is { } orgGuid ? organizations.GetValueOrDefault(orgGuid) : null;
                places[app.Guid] = new AppPlacement(app.Name, space?.Name, organization);
            }
        }
        return places;
    }

    /// <summary>
    /// Where an app read through a connection is, as far as the connection knows it: the targeted space and organization
    /// when the app is in the targeted space (as apps found by name are); otherwise only the app's name.
    /// </summary>
    public static AppPlacement PlacementOf(CfApp app, CfTarget? target)
    {
        var origin = app.Origin ?? target;
        return origin is not null && app.SpaceGuid.Length > 0 && string.Equals(app.SpaceGuid, origin.SpaceGuid, StringComparison.Ordinal)
            ? new AppPlacement(app.Name, origin.Space, origin.Organization)
            : new AppPlacement(app.Name, null, null);
    }

    /// <summary>An app's process of a type, e.g. <c>task</c> or <c>web</c>; ProcessNotFound when it has none.</summary>
    public async Task<ProcessResource> GetProcessAsync(CfApp app, string type, CancellationToken cancellationToken)
    {
        try
        {
            return await CfCall.RunAsync(ct => _cloudController.GetProcess(app.Guid, type, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (CfException error) when (error.Kind == CfErrorKind.NotFound)
        {
            throw CfErrors.ProcessNotFound(app.Name, type, error);
        }
    }

    /// <summary>A value inside a comma list: a comma in it is percent-encoded first (the whole query is encoded again on the wire), as the cf CLI does.</summary>
    internal static string EscapeListValue(string value) =>
        value.IndexOf(',') >= 0 || value.IndexOf('%') >= 0 ? Uri.EscapeDataString(value) : value;
}

/// <summary>Where an app is: its name and the names of its space and organization (null where not known).</summary>
public sealed record AppPlacement(string? AppName, string? SpaceName, string? OrganizationName)
{
    /// <summary>Where a task read before says its app is.</summary>
    public static AppPlacement Of(CfTask task) => new(task.AppName, task.SpaceName, task.OrganizationName);

    /// <summary>True when the space and organization are known too.</summary>
    public bool IsComplete => AppName is not null && SpaceName is not null && OrganizationName is not null;
}
