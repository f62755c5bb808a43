using System.Runtime.CompilerServices;
using CfTasks.Client.Errors;
using CfTasks.Client.Models;

namespace CfTasks.Client.Services;

/// <summary>Apps of the targeted space: listing, look-up by name, batched guid → name resolution, process templates.</summary>
public sealed class AppService
{
    /// <summary>How many guids one <c>guids=</c> filter carries (keeps URLs well under common limits).</summary>
    public const int GuidsPerRequest = 50;
    private readonly CfSession _session;

    internal AppService(CfSession session) => _session = session;

    /// <summary>
    /// Apps in the targeted space. Exact <paramref name="names"/> go to the server as a filter; when
    /// <paramref name="match"/> is given (wildcards), all apps are listed and filtered here.
    /// </summary>
    public async IAsyncEnumerable<CfApp> ListAsync(
        IReadOnlyCollection<string>? names, Func<string, bool>? match, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var space = _session.RequireSpaceGuid();
        var serverNames = match is null && names is { Count: > 0 } ? names.Select(EscapeListValue).ToList() : null;
        var apps = _session.Paging.ReadAllAsync(
            ct => _session.CloudController.ListApps(null, serverNames, [space], "name", PagedReader.MaxPerPage, ct),
            CfJsonContext.Default.PageAppResource, cancellationToken);
        await foreach (var app in apps.ConfigureAwait(false))
        {
            if (match is null || match(app.Name)) yield return CfObjectMapper.ToApp(app, _session.Target);
        }
    }

    /// <summary>The app of that name in the targeted space, or a CfAppNotFound error.</summary>
    public async Task<CfApp> GetByNameAsync(string name, CancellationToken cancellationToken)
    {
        var space = _session.RequireSpaceGuid();
        var page = await CfCall.RunAsync(
            ct => _session.CloudController.ListApps(null, [EscapeListValue(name)], [space], null, 1, ct), cancellationToken).ConfigureAwait(false);
        var app = page.Resources?.FirstOrDefault(a => a.Name == name)
                  ?? throw new CfException(CfErrorKind.NotFound, "CfAppNotFound",
                      $"App '{name}' not found in space '{_session.Target.Space}' of org '{_session.Target.Organization}'.", name);
        return CfObjectMapper.ToApp(app, _session.Target);
    }

    /// <summary>Names for app guids, fetched in batches of <see cref="GuidsPerRequest"/> (never one request per app).</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetNamesAsync(IEnumerable<string> appGuids, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var batch in appGuids.Distinct(StringComparer.Ordinal).Chunk(GuidsPerRequest))
        {
            var apps = _session.Paging.ReadAllAsync(
                ct => _session.CloudController.ListApps(batch, null, null, null, PagedReader.MaxPerPage, ct),
                CfJsonContext.Default.PageAppResource, cancellationToken);
            await foreach (var app in apps.ConfigureAwait(false)) names[app.Guid] = app.Name;
        }
        return names;
    }

    /// <summary>An app's process of a type, e.g. <c>task</c> or <c>web</c>; CfProcessNotFound when it has none.</summary>
    public async Task<ProcessResource> GetProcessAsync(CfApp app, string type, CancellationToken cancellationToken)
    {
        try
        {
            return await CfCall.RunAsync(ct => _session.CloudController.GetProcess(app.Guid, type, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (CfException error) when (error.Kind == CfErrorKind.NotFound)
        {
            throw error.WithContext("CfProcessNotFound", type, $"App '{app.Name}' has no process of type '{type}'.");
        }
    }

    /// <summary>A value inside a comma list: a comma in it is percent-encoded first (the whole query is encoded again on the wire), as the cf CLI does.</summary>
    internal static string EscapeListValue(string value) =>
        value.Contains(',') || value.Contains('%') ? Uri.EscapeDataString(value) : value;
}
