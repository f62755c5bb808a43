using System.Management.Automation;
using CfTasks.Runtime;

namespace CfTasks.Commands;

/// <summary>
/// <para type="synopsis">Gets the apps of the targeted space, like <c>cf apps</c>, as CfApp objects.</para>
/// <para type="description">Without -Name, every app of the space, by name. Exact names are looked up on the server;
/// names with wildcards (<c>billing-*</c>) are matched here. A name that matches nothing is a non-terminating
/// CfAppNotFound error. The apps feed Start-CfTask and Get-CfTask: <c>Get-CfApp billing-* | Start-CfTask -Command bin/migrate</c>.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "CfApp")]
[OutputType(typeof(CfApp))]
public sealed class GetCfAppCommand : CfTargetedCmdlet
{
    /// <summary>App names; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var session = ResolveSession();
        var names = Name;
        Run(async ct =>
        {
            var apps = names is { Length: > 0 }
                ? AppSelection.ResolveAsync(session, names, error => PostError(error, error.Target), ct)
                : session.Apps.ListAsync(null, null, ct);
            await foreach (var app in apps.ConfigureAwait(false)) PostObject(app);
        });
    }
}
