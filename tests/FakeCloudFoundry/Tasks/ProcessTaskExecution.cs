using System.Diagnostics;

namespace FakeCloudFoundry.Tasks;

/// <summary>
/// One emulated task run: waits until the container is "created" (the launch's start time), copies the app into a
/// sandbox, starts the command with the runner's shell in its own process group or job, pumps stdout/stderr line by
/// line into the task's output, and reports the exit status once the process group is gone. <see cref="Cancel"/> may be called at any point
/// (the fake calls it while holding its lock, so it only signals and kills, never waits).
/// </summary>
internal sealed class ProcessTaskExecution : ITaskExecution
{
    private static readonly TimeSpan DrainAfterExit = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxContainerStartDelay = TimeSpan.FromSeconds(5);

    private readonly ProcessTaskRunner _runner;
    private readonly TaskLaunch _launch;
    private readonly ITaskOutput _output;
    private readonly CancellationTokenSource _cancel = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _processGate = new();
    private readonly object _stampGate = new();
    private ProcessGroup? _group;
    private int _pid;
    private bool _cancelled;
    private long _lastStampNs;

    public ProcessTaskExecution(ProcessTaskRunner runner, TaskLaunch launch, ITaskOutput output)
    {
        _runner = runner;
        _launch = launch;
        _output = output;
        _lastStampNs = launch.StartAtNs;
    }

    /// <summary>Completes when the run is over and its sandbox removed.</summary>
    public Task Completion => _completion.Task;

    /// <summary>The process id of the task's shell once started (0 before); on Linux also its process group id.</summary>
    public int ProcessId => Volatile.Read(ref _pid);

    public void Begin() => _ = Task.Run(RunAsync);

    public void Cancel()
    {
        lock (_processGate)
        {
            if (_cancelled) return;
            _cancelled = true;
            _group?.KillAll();
        }
        // Not inline: the caller holds the fake's lock and cancellation callbacks may run continuations.
        ThreadPool.QueueUserWorkItem(static cts => cts.Cancel(), _cancel, preferLocal: false);
    }

    private async Task RunAsync()
    {
        TaskSandbox? sandbox = null;
        try
        {
            await WaitForContainerAsync().ConfigureAwait(false);
            sandbox = TaskSandbox.Create(_launch.TaskGuid, _runner.Apps.FolderOf(_launch.Environment.AppName));
            if (_runner.Shell is not { } shell)
            {
                Report("ERR", TaskShell.NotFoundMessage(OperatingSystem.IsWindows(), Environment.GetEnvironmentVariable(TaskShell.OverrideVariable)));
                ReportExit(TaskShell.NotRunnableExitStatus);
                return;
            }
            var invocation = shell.Prepare(_launch.Command, relative => File.Exists(Path.Combine(sandbox.AppDirectory, relative)));
            if (invocation.Refusal is not null)
            {
                Report("ERR", invocation.Refusal);
                ReportExit(TaskShell.NotRunnableExitStatus);
                return;
            }
            var group = StartProcess(shell, invocation, sandbox);
            if (group is null) return; // cancelled before it started
            using (group)
            {
                var process = group.Process;
                process.StandardInput.Close(); // a task has no stdin
                var pumps = Task.WhenAll(
                    OutputLines.PumpAsync(process.StandardOutput.BaseStream, line => Report("OUT", line)),
                    OutputLines.PumpAsync(process.StandardError.BaseStream, line => Report("ERR", line)));
                await process.WaitForExitAsync().ConfigureAwait(false);
                // The container goes away with its main process: whatever the command left running is killed too.
                group.KillRemaining();
                try
                {
                    await pumps.WaitAsync(DrainAfterExit).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // something outside the group still holds the pipes; report what was read
                }
                ReportExit(process.ExitCode);
            }
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Report("ERR", "emulator: could not run the task: " + e.Message);
            ReportExit(1);
        }
        finally
        {
            sandbox?.Dispose();
            _runner.Finished(this);
            _completion.TrySetResult();
        }
    }

    /// <summary>Real Cloud Foundry starts the command once the container exists: wait for the launch time.</summary>
    private async Task WaitForContainerAsync()
    {
        var delayNs = _launch.StartAtNs - _runner.Clock.NowNs;
        if (delayNs <= 0) return;
        var delay = TimeSpan.FromTicks(Math.Min(delayNs / 100, MaxContainerStartDelay.Ticks));
        await Task.Delay(delay, _cancel.Token).ConfigureAwait(false);
    }

    private ProcessGroup? StartProcess(TaskShell shell, ShellInvocation invocation, TaskSandbox sandbox)
    {
        var startInfo = new ProcessStartInfo
        {
            WorkingDirectory = sandbox.AppDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        startInfo.Environment.Clear();
        foreach (var (name, value) in ContainerEnvironment.For(_launch, sandbox.AppDirectory, sandbox.TmpDirectory, shell))
            startInfo.Environment[name] = value;

        lock (_processGate)
        {
            if (_cancelled) return null;
            var group = ProcessGroup.Start(startInfo, invocation);
            _group = group;
            Volatile.Write(ref _pid, group.ProcessId);
            return group;
        }
    }

    private void Report(string stream, string line)
    {
        lock (_stampGate) _output.Write(Stamp(), stream, line);
    }

    private void ReportExit(int exitCode)
    {
        lock (_stampGate) _output.Exited(Stamp(), exitCode);
    }

    /// <summary>The time of capture, strictly after every earlier line (and never before the launch time).</summary>
    private long Stamp()
    {
        var now = _runner.Clock.NowNs;
        _lastStampNs = now > _lastStampNs ? now : _lastStampNs + 1;
        return _lastStampNs;
    }
}
