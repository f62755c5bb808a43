using System.Management.Automation;
using CfTasks.Client;
using CfTasks.Output;

namespace CfTasks.Runtime;

/// <summary>
/// How every cmdlet that waits for tasks (Start-CfTask -Wait, Stop-CfTask -Wait, Wait-CfTask) waits: one progress bar
/// for the tasks of the whole command (fed by each connection's wait), a non-terminating error for each task still
/// running when the timeout passes or gone meanwhile, and each finished task handed to the cmdlet's own
/// <c>finished</c> action on the pipeline thread (emit it, or end the script when it failed).
/// </summary>
internal sealed class TaskWaiting(CfCmdlet cmdlet, string activity, int total)
{
    private static int _progressIds;
    private readonly int _progressId = Interlocked.Increment(ref _progressIds);
    private int _finished;
    private bool _shown;

    /// <summary>Waits for <paramref name="tasks"/> of one connection.</summary>
    public Task WaitAsync(CfSession session, IReadOnlyCollection<CfTask> tasks, TimeSpan? timeout, Action<CfTask> finished, CancellationToken cancellationToken)
    {
        var before = 0;
        return cmdlet.WriteAllAsync(session.Tasks.WaitAsync(tasks, timeout, cancellationToken), cancellationToken, update =>
        {
            _finished += update.Progress.Finished - before;
            before = update.Progress.Finished;
            Show(update.Progress.Pending.FirstOrDefault());
            if (update.Outcome is not { } outcome) return;
            if (outcome.Error is { } error) cmdlet.WriteError(ErrorCatalog.From(error, outcome.Task));
            else finished(outcome.Task);
        });
    }

    /// <summary>Ends the progress bar (call on the pipeline thread once every wait is over).</summary>
    public void Complete()
    {
        if (_shown) ProgressPolicy.Write(cmdlet, new ProgressRecord(_progressId, activity, "done") { RecordType = ProgressRecordType.Completed });
    }

    private void Show(CfTask? onlyPending)
    {
        _shown = true;
        var status = total == 1 && onlyPending is not null ? $"{onlyPending.State}" : $"{_finished} of {total} finished";
        ProgressPolicy.Write(cmdlet, new ProgressRecord(_progressId, activity, status)
        {
            PercentComplete = Math.Min(100, _finished * 100 / Math.Max(1, total)),
        });
    }
}
