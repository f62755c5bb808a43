using System.Management.Automation;
using CfTasks.Runtime;

namespace CfTasks.Commands;

/// <summary>Gets the session's default Cloud Foundry target, or every connection (help: docs/cmdlets/Get-CfTarget.md).</summary>
[Cmdlet(VerbsCommon.Get, "CfTarget")]
[OutputType(typeof(CfTarget))]
public sealed class GetCfTargetCommand : PSCmdlet
{
    /// <summary>Every connection of this session (the default first), not only the default.</summary>
    [Parameter]
    [Alias("ListAvailable")]
    public SwitchParameter All { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (All.IsPresent)
        {
            foreach (var target in CfTargetRegistry.All) WriteObject(target);
        }
        else if (CfTargetRegistry.Default is { } current)
        {
            WriteObject(current);
        }
    }
}
