using System.Management.Automation;
using CfTasks.Completion;
using CfTasks.Runtime;
using CfTasks.Transforms;

namespace CfTasks.Commands;

/// <summary>Gets the apps of the targeted space, like <c>cf apps</c>, as CfApp objects (help: docs/cmdlets/Get-CfApp.md).</summary>
[Cmdlet(VerbsCommon.Get, "CfApp")]
[OutputType(typeof(CfApp))]
public sealed class GetCfAppCommand : CfTargetedCmdlet
{
    /// <summary>App names; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(AppNameCompleter))]
    [SupportsWildcards]
    [ValidateCfName]
    public string[]? Name { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var session = ResolveSession();
        var names = Name;
        Run(ct => WriteAllAsync(names is { Length: > 0 } ? AppSelection.ResolveAsync(this, session, names, ct) : session.Apps.ListAsync(null, null, ct), ct));
    }
}
