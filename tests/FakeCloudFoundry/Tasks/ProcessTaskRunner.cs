using System.Collections.Concurrent;
using FakeCloudFoundry.Time;

namespace FakeCloudFoundry.Tasks;

/// <summary>
/// The emulator's runner: a task's command really runs on this machine — with <c>bash -c '&lt;command&gt;'</c>, or
/// with PowerShell where there is no bash (<see cref="TaskShell"/>) — in a fresh temporary copy of the app's files
/// (<see cref="AppFolders"/>) with a Cloud Foundry container's environment (<see cref="ContainerEnvironment"/>).
/// Output lines are reported as they arrive, stamped with the time of capture; the exit status is reported when the
/// process (and everything left in its process group or job) is gone. Cancelling kills all of it at once
/// (<see cref="ProcessGroup"/>). Only used when emulator mode is asked for: the ordinary fake never runs commands.
/// </summary>
public sealed class ProcessTaskRunner : ITaskRunner, IDisposable
{
    private readonly ConcurrentDictionary<ProcessTaskExecution, byte> _running = new();
    private bool _disposed;

    public ProcessTaskRunner(AppFolders apps, FakeClock clock)
    {
        Apps = apps;
        Clock = clock;
        Shell = TaskShell.ForThisMachine();
    }

    public AppFolders Apps { get; }

    internal FakeClock Clock { get; }

    /// <summary>The shell that runs commands (from PATH and CFTASKS_EMULATOR_SHELL when the runner was made), or null:
    /// then every task fails with exit status 127 and says why.</summary>
    public TaskShell? Shell { get; }

    /// <summary>The emulator's banner: how task commands run on this machine.</summary>
    public static string DescribeShell() =>
        TaskShell.ForThisMachine()?.Description ?? "no shell found: every task will fail with exit status 127";

    /// <summary>How many emulated tasks are running right now (their processes may be starting or exiting).</summary>
    public int RunningCount => _running.Count;

    public ITaskExecution Start(TaskLaunch launch, ITaskOutput output)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var execution = new ProcessTaskExecution(this, launch, output);
        _running[execution] = 0;
        execution.Begin();
        return execution;
    }

    internal void Finished(ProcessTaskExecution execution) => _running.TryRemove(execution, out _);

    /// <summary>Kills every task still running and waits (briefly) until their temporary folders are removed.</summary>
    public void Dispose()
    {
        _disposed = true;
        var executions = _running.Keys.ToArray();
        foreach (var execution in executions) execution.Cancel();
        Task.WaitAll(executions.Select(e => e.Completion).ToArray(), TimeSpan.FromSeconds(5));
    }
}
