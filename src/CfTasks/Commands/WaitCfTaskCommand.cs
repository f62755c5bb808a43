using System.Management.Automation;
using CfTasks.Client;
using CfTasks.Client.Errors;
using CfTasks.Client.Services;
using CfTasks.Runtime;

namespace CfTasks.Commands;

/// <summary>
/// <para type="synopsis">Waits until tasks have succeeded or failed and emits each one's final state as it finishes.</para>
/// <para type="description">Only Succeeded and Failed are final (Canceling is not). All tasks are polled together about
/// every 3 seconds with batched requests (up to 50 task guids per request), with one progress bar for the batch.
/// A failed task is emitted like any other (check its State and FailureReason); with -Timeout, each task still
/// running when it passes is a non-terminating CfTaskWaitTimeout error.</para>
/// </summary>
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
    [ValidateNotNullOrEmpty]
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
            var groups = _waiting.GroupBy(w => w.Session).ToList();
            var progress = new BatchProgress(this, _waiting.Count);
            Run(ct => Task.WhenAll(groups.Select(group => WaitGroupAsync(group.Key, group.ToList(), timeout, progress, ct))));
            progress.Complete();
        }
        base.EndProcessing();
    }

    private async Task WaitGroupAsync(
        CfSession session, IReadOnlyList<(CfSession Session, CfTask? Task, string? Guid)> items, TimeSpan? timeout, BatchProgress progress,
        CancellationToken cancellationToken)
    {
        var tasks = new List<CfTask>();
        foreach (var item in items)
        {
            if (item.Task is not null)
            {
                tasks.Add(item.Task);
                continue;
            }
            try
            {
                tasks.Add(await session.Tasks.GetAsync(item.Guid!, cancellationToken).ConfigureAwait(false));
            }
            catch (CfException error) when (error.Kind == CfErrorKind.NotFound)
            {
                PostError(error, item.Guid);
                progress.Finished(1);
            }
        }
        var before = 0;
        await foreach (var outcome in session.Tasks.WaitAsync(tasks, timeout, p =>
                       {
                           progress.Finished(p.Finished - before);
                           before = p.Finished;
                       }, cancellationToken).ConfigureAwait(false))
        {
            if (outcome.Error is { } error) PostError(error, outcome.Task);
            else PostObject(outcome.Task);
        }
    }

    /// <summary>One progress bar for every task of the command, fed by each connection's wait.</summary>
    private sealed class BatchProgress(WaitCfTaskCommand cmdlet, int total)
    {
        private const string Activity = "Waiting for tasks to finish";
        private int _finished;

        public void Finished(int count)
        {
            if (count <= 0) return;
            var finished = Interlocked.Add(ref _finished, count);
            var record = new ProgressRecord(1, Activity, $"{finished} of {total} finished")
            {
                PercentComplete = Math.Min(100, finished * 100 / Math.Max(1, total)),
            };
            cmdlet.Post(() => cmdlet.WriteProgress(record));
        }

        public void Complete() =>
            cmdlet.WriteProgress(new ProgressRecord(1, Activity, "done") { RecordType = ProgressRecordType.Completed });
    }
}
