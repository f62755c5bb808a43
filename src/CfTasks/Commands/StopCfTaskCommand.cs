using System.Management.Automation;
using CfTasks.Client;
using CfTasks.Client.Errors;
using CfTasks.Client.Services;
using CfTasks.Completion;
using CfTasks.Output;
using CfTasks.Runtime;
using CfTasks.Transforms;

namespace CfTasks.Commands;

/// <summary>Cancels tasks, like <c>cf terminate-task APP TASK_ID</c> (help: docs/cmdlets/Stop-CfTask.md).</summary>
[Cmdlet(VerbsLifecycle.Stop, "CfTask", DefaultParameterSetName = TaskSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CfTask))]
public sealed class StopCfTaskCommand : CfTargetedCmdlet
{
    private const string TaskSet = "Task";
    private const string SequenceSet = "SequenceId";
    private const string GuidSet = "Guid";

    private readonly List<(CfSession Session, CfTask Task)> _canceled = [];

    /// <summary>Tasks to cancel (from Get-CfTask or Start-CfTask).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = TaskSet, ValueFromPipeline = true)]
    [Alias("Task")]
    [ValidateNotNull]
    public CfTask[]? InputObject { get; set; }

    /// <summary>The app whose tasks to cancel, by sequence id.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = SequenceSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AppNameCompleter))]
    [ValidateCfName]
    public string? AppName { get; set; }

    /// <summary>The sequence ids (the id cf tasks shows) of the tasks to cancel.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = SequenceSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateRange(1, int.MaxValue)]
    public int[]? SequenceId { get; set; }

    /// <summary>Guids of the tasks to cancel.</summary>
    [Parameter(Mandatory = true, ParameterSetName = GuidSet, ValueFromPipelineByPropertyName = true)]
    [ValidateCfGuid]
    public string[]? Guid { get; set; }

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
    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case TaskSet:
                foreach (var task in InputObject ?? [])
                {
                    var session = ResolveSession(task.Origin);
                    if (!ShouldProcess($"task {TaskService.Describe(task)}", "Cancel")) continue;
                    Run(ct => CancelAsync(session, task, ct));
                }
                break;
            case SequenceSet:
            {
                var session = ResolveSession();
                var appName = AppName!;
                var wanted = SequenceId!.Where(id => ShouldProcess($"task {id} of app '{appName}'", "Cancel")).Distinct().ToList();
                if (wanted.Count == 0) return;
                Run(async ct =>
                {
                    CfApp app;
                    try
                    {
                        app = await session.Apps.GetByNameAsync(appName, ct).ConfigureAwait(false);
                    }
                    catch (CfException error) when (error.Kind == CfErrorKind.NotFound)
                    {
                        PostError(error, appName);
                        return;
                    }
                    var found = new List<CfTask>();
                    await foreach (var task in session.Tasks.List(new TaskListQuery { Apps = [app], SequenceIds = wanted }).WithCancellation(ct).ConfigureAwait(false))
                        found.Add(task);
                    foreach (var id in wanted.Where(id => found.All(t => t.SequenceId != id)))
                        PostError(CfErrors.TaskNotFound(id, $"sequence id {id} of app '{app.Name}'"), id);
                    foreach (var task in found.OrderBy(t => t.SequenceId)) await CancelAsync(session, task, ct).ConfigureAwait(false);
                });
                break;
            }
            case GuidSet:
            {
                var session = ResolveSession();
                foreach (var guid in Guid!)
                {
                    if (!ShouldProcess($"task {guid}", "Cancel")) continue;
                    Run(async ct =>
                    {
                        CfTask task;
                        try
                        {
                            task = await session.Tasks.GetAsync(guid, ct).ConfigureAwait(false);
                        }
                        catch (CfException error) when (error.Kind == CfErrorKind.NotFound)
                        {
                            PostError(error, guid);
                            return;
                        }
                        await CancelAsync(session, task, ct).ConfigureAwait(false);
                    });
                }
                break;
            }
        }
    }

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

    private async Task CancelAsync(CfSession session, CfTask task, CancellationToken cancellationToken)
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
