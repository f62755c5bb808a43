using System.Management.Automation;
using CfTasks.Client;
using CfTasks.Runtime;

namespace CfTasks.Commands;

/// <summary>Forgets a connection and its tokens (help: docs/cmdlets/Disconnect-CfTarget.md).</summary>
[Cmdlet(VerbsCommunications.Disconnect, "CfTarget", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class DisconnectCfTargetCommand : PSCmdlet
{
    /// <summary>The connection to close; defaults to the session's default target.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    public CfTarget? Target { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var target = Target ?? CfTargetRegistry.Default;
        if (target is null) return;
        if (!ShouldProcess(target.ApiEndpoint.ToString(), "Disconnect")) return;
        CfTargetRegistry.Remove(target);
        if (target.Session is CfSession session)
        {
            target.Session = null;
            session.Dispose();
        }
    }
}
