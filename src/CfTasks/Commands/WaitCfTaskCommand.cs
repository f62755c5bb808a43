using System.Management.Automation;
using CfTasks.Client;
using CfTasks.Client.Errors;
using CfTasks.Client.Services;
using CfTasks.Output;
using CfTasks.Runtime;
using CfTasks.Transforms;

namespace CfTasks.Commands;

/// <summary>Waits until tasks have succeeded or failed and emits each one's final state as it finishes (help: docs/cmdlets/Wait-CfTask.md).</summary>
[Cmdlet(VerbsLifecycle.Wait, "CfTask", DefaultParameterSetName = TaskSet)]
[OutputType(typeof(CfTask))]
public sealed class WaitCfTaskCommand : CfTargetedCmdlet
{
    private const string TaskSet = "Task";
    private const string GuidSet = "Guid";

    private readonly List<(CfSession Session, CfTask? Task, string? Guid)> _waiting = [];

    /// <summary>Tasks to wait for (from Start-CfTask or Get-CfTask).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = TaskSet, ValueFromPipeline = true)]
    [Alias("Task")]
    [ValidateNotNull]
    public CfTask[]? InputObject { get; set; }

    /// <summary>Guids of the tasks to wait for.</summary>
    [Parameter(Mandatory = true, ParameterSetName = GuidSet, ValueFromPipelineByPropertyName = true)]
    [ValidateCfGuid]
    public string[]? Guid { get; set; }

    /// <summary>Give up after this many seconds.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Timeout { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (InputObject is { } tasks)
        {
            foreach (var task in tasks) _waiting.Add((ResolveSession(task.Origin), task, null));
        }
        else
        {
            var session = ResolveSession();
            foreach (var guid in Guid ?? []) _waiting.Add((session, null, guid));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_waiting.Count > 0)
        {
            var timeout = Timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            var waiting = new TaskWaiting(this, "Waiting for tasks to finish", _waiting.Count);
            Run(ct => Task.WhenAll(_waiting.GroupBy(w => w.Session).Select(group => WaitGroupAsync(group.Key, group.ToList(), timeout, waiting, ct))));
            waiting.Complete();
        }
        base.EndProcessing();
    }

    private async Task WaitGroupAsync(
        CfSession session, IReadOnlyList<(CfSession Session, CfTask? Task, string? Guid)> items, TimeSpan? timeout, TaskWaiting waiting,
        CancellationToken cancellationToken)
    {
        var tasks = new List<CfTask>();
        foreach (var item in items)
        {
            try
            {
                tasks.Add(item.Task ?? await session.Tasks.GetAsync(item.Guid!, cancellationToken).ConfigureAwait(false));
            }
            catch (CfException error) when (error.Kind == CfErrorKind.NotFound)
            {
                PostError(error, item.Guid);
            }
        }
        await waiting.WaitAsync(session, tasks, timeout, WriteObject, cancellationToken).ConfigureAwait(false);
    }
}
