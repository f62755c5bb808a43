using System.Management.Automation;
using CfTasks.Completion;
using CfTasks.Output;
using CfTasks.Runtime;
using CfTasks.Transforms;

namespace CfTasks.Commands;

/// <summary>Targets an organization and space (by name) on a connection, like <c>cf target -o ORG -s SPACE</c> (help: docs/cmdlets/Set-CfTarget.md).</summary>
[Cmdlet(VerbsCommon.Set, "CfTarget", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(CfTarget))]
public sealed class SetCfTargetCommand : CfTargetedCmdlet
{
    /// <summary>The organization's name.</summary>
    [Parameter(Position = 0)]
    [Alias("o", "Org")]
    [ArgumentCompleter(typeof(OrganizationNameCompleter))]
    [ValidateCfName]
    public string? Organization { get; set; }

    /// <summary>The space's name (in the given or currently targeted organization).</summary>
    [Parameter(Position = 1)]
    [Alias("s")]
    [ArgumentCompleter(typeof(SpaceNameCompleter))]
    [ValidateCfName]
    public string? Space { get; set; }

    /// <summary>Write the updated target to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var session = ResolveSession();
        if (Organization is null && Space is null) ThrowTerminatingError(ErrorCatalog.NothingToTarget());
        var what = string.Join(" / ", new[] { Organization, Space }.Where(n => n is not null));
        if (!ShouldProcess(session.Target.ApiEndpoint.ToString(), $"Target {what}")) return;

        Run(ct => session.Targeting.SetTargetAsync(Organization, Space, ct));
        if (PassThru.IsPresent) WriteObject(session.Target);
    }
}
