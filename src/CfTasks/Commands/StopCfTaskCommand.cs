using System.Management.Automation;
using CfTasks.Client;
using CfTasks.Client.Errors;
using CfTasks.Runtime;

namespace CfTasks.Commands;

/// <summary>Cancels tasks, like <c>cf terminate-task APP TASK_ID</c> (help: docs/cmdlets/Stop-CfTask.md).</summary>
[Cmdlet(VerbsLifecycle.Stop, "CfTask", DefaultParameterSetName = TaskSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CfTask))]
public sealed class StopCfTaskCommand : TaskActionCmdlet
{
    private readonly List<(CfSession Session, CfTask Task)> _canceled = [];

    /// <summary>Wait until each task has left Canceling (Failed, or Succeeded if it finished first).</summary>
    [Parameter]
    [Alias("w")]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait: give up waiting after this many seconds.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Timeout { get; set; }

    /// <summary>Emit the cancelled tasks.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override string Action => "Cancel";

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (Wait.IsPresent && _canceled.Count > 0)
        {
            var timeout = Timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            var waiting = new TaskWaiting(this, "Waiting for cancelled tasks to stop", _canceled.Count);
            Run(ct => Task.WhenAll(_canceled.GroupBy(c => c.Session).Select(group =>
                waiting.WaitAsync(group.Key, group.Select(c => c.Task).ToList(), timeout, task => { if (PassThru.IsPresent) WriteObject(task); }, ct))));
            waiting.Complete();
        }
        base.EndProcessing();
    }

    /// <inheritdoc />
    protected override async Task ActAsync(CfSession session, CfTask task, CancellationToken cancellationToken)
    {
        CfTask canceling;
        try
        {
            canceling = await session.Tasks.CancelAsync(task, cancellationToken).ConfigureAwait(false);
        }
        catch (CfException error) when (error.Kind is not (CfErrorKind.NotConnected or CfErrorKind.Authentication))
        {
            PostError(error, task);
            return;
        }
        if (Wait.IsPresent)
        {
            lock (_canceled) _canceled.Add((session, canceling));
        }
        else if (PassThru.IsPresent)
        {
            PostObject(canceling);
        }
    }
}
