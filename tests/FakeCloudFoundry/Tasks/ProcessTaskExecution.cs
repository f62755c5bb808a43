using System.Diagnostics;

namespace FakeCloudFoundry.Tasks;

/// <summary>
/// One emulated task run: waits until the container is "created" (the launch's start time), copies the app into a
/// sandbox, starts <c>bash -c</c> in its own process group, pumps stdout/stderr line by line into the task's output,
/// and reports the exit status once the process group is gone. <see cref="Cancel"/> may be called at any point
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
    private Process? _process;
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

    /// <summary>The process id of the task's shell once started (0 before), which is also its process group id.</summary>
    public int ProcessId => Volatile.Read(ref _pid);

    public void Begin() => _ = Task.Run(RunAsync);

    public void Cancel()
    {
        lock (_processGate)
        {
            if (_cancelled) return;
            _cancelled = true;
            if (_process is not null) ProcessGroup.KillAll(_process, _pid);
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
            if (ProcessTaskRunner.BashPath is not { } bash)
            {
                Report("ERR", "emulator: bash was not found on this machine's PATH; the emulator runs task commands with 'bash -c'.");
                ReportExit(127);
                return;
            }
            var process = StartProcess(bash, sandbox);
            if (process is null) return; // cancelled before it started
            using (process)
            {
                process.StandardInput.Close(); // a task has no stdin
                var pumps = Task.WhenAll(
                    OutputLines.PumpAsync(process.StandardOutput.BaseStream, line => Report("OUT", line)),
                    OutputLines.PumpAsync(process.StandardError.BaseStream, line => Report("ERR", line)));
                await process.WaitForExitAsync().ConfigureAwait(false);
                // The container goes away with its main process: whatever the command left running is killed too.
                ProcessGroup.KillGroup(_pid);
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

    private Process? StartProcess(string bash, TaskSandbox sandbox)
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
        ProcessGroup.Wrap(startInfo, bash, ["-c", _launch.Command]);
        startInfo.Environment.Clear();
        foreach (var (name, value) in ContainerEnvironment.For(_launch, sandbox.AppDirectory, sandbox.TmpDirectory, Path.GetDirectoryName(bash)))
            startInfo.Environment[name] = value;

        lock (_processGate)
        {
            if (_cancelled) return null;
            var process = Process.Start(startInfo) ?? throw new InvalidOperationException("the process did not start");
            _process = process;
            Volatile.Write(ref _pid, process.Id);
            return process;
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
