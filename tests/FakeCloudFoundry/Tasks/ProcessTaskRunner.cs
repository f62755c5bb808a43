using System.Collections.Concurrent;
using FakeCloudFoundry.Time;

namespace FakeCloudFoundry.Tasks;

/// <summary>
/// The emulator's runner: a task's command really runs, as <c>bash -c '&lt;command&gt;'</c> on this machine, in a
/// fresh temporary copy of the app's files (<see cref="AppFolders"/>) with a Cloud Foundry container's environment
/// (<see cref="ContainerEnvironment"/>). Output lines are reported as they arrive, stamped with the time of capture;
/// the exit status is reported when the process (and everything left in its process group) is gone. Cancelling kills
/// the whole process group. Only used when emulator mode is asked for: the ordinary fake never runs commands.
/// </summary>
public sealed class ProcessTaskRunner : ITaskRunner, IDisposable
{
    private readonly ConcurrentDictionary<ProcessTaskExecution, byte> _running = new();
    private bool _disposed;

    public ProcessTaskRunner(AppFolders apps, FakeClock clock)
    {
        Apps = apps;
        Clock = clock;
    }

    public AppFolders Apps { get; }

    internal FakeClock Clock { get; }

    /// <summary>bash on this machine, or null (then every task fails with exit status 127 and says why).</summary>
    internal static string? BashPath { get; } = Executables.Find("bash");

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
