using System.Management.Automation;
using CfTasks.Runtime;

namespace CfTasks.Commands;

/// <summary>Forgets a connection, or every connection, and their tokens (help: docs/cmdlets/Disconnect-CfTarget.md).</summary>
[Cmdlet(VerbsCommunications.Disconnect, "CfTarget", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = OneSet)]
[OutputType(typeof(void))]
public sealed class DisconnectCfTargetCommand : PSCmdlet
{
    private const string OneSet = "One";
    private const string AllSet = "All";

    /// <summary>The connection to close; defaults to the session's default target.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ParameterSetName = OneSet)]
    public CfTarget? Target { get; set; }

    /// <summary>Close every connection of this session.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (All.IsPresent)
        {
            foreach (var each in CfTargetRegistry.All) Disconnect(each);
            return;
        }

        if ((Target ?? CfTargetRegistry.Default) is { } target) Disconnect(target);
    }

    private void Disconnect(CfTarget target)
    {
        if (ShouldProcess(target.ToString(), "Disconnect")) CfTargetRegistry.Remove(target);
    }
}
