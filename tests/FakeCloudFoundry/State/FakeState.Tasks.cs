using FakeCloudFoundry.Model;
using FakeCloudFoundry.Tasks;

namespace FakeCloudFoundry.State;

/// <summary>Task lifecycle: start (CELL lines + runner), exit, cancel. Callers hold Gate unless noted.</summary>
public sealed partial class FakeState
{
    private static readonly string[] CellIds =
    [
        "6c1e1f2a-7d3b-4f5e-9a8b-2c4d6e8f0a1b",
        "0f3b8d4e-2a61-4c7b-9e15-7d2c5a9b3f60",
        "a94c2e7d-5b18-4f03-8c6a-1e9d7b2f4a85",
    ];

    private static readonly TimeSpan CancelToFailed = TimeSpan.FromMilliseconds(500);

    internal FakeTask StartTaskLocked(CfApp app, TaskRequest request)
    {
        var now = SettleLocked();
        var task = new FakeTask
        {
            Guid = NewGuid(), Ordinal = _nextOrdinal++, SequenceId = app.NextSequenceId++, Name = request.Name ?? RandomTaskName(),
            Command = request.Command, User = request.User, State = TaskStates.Running, MemoryInMb = request.MemoryInMb,
            DiskInMb = request.DiskInMb, LogRateLimitInBytesPerSecond = request.LogRateLimitInBytesPerSecond,
            DropletGuid = request.DropletGuid, App = app, CreatedAtNs = now, UpdatedAtNs = now,
            CellId = CellIds[_random.Next(CellIds.Length)],
        };
        request.Metadata?.ApplyTo(task.Metadata);
        RegisterTaskLocked(task);

        var creating = now + Jitter(5, 25);
        var created = creating + Jitter(150, 300);
        AddCellLineLocked(task, creating, "creating container for instance");
        AddCellLineLocked(task, created, "successfully created container for instance");
        var space = app.Space;
        var environment = new TaskEnvironment(app.Guid, app.Name, space.Guid, space.Name, space.Organization.Guid, space.Organization.Name, ApiUrl);
        var launch = new TaskLaunch(task.Guid, task.Name, task.Command, created + Jitter(10, 30), task.MemoryInMb, task.DiskInMb, environment);
        task.Execution = Runner.Start(launch, new TaskOutput(this, task));
        return task;
    }

    /// <summary>Cancels a non-terminal task (again accepted while CANCELING). False when it is already terminal.</summary>
    internal bool CancelTaskLocked(FakeTask task)
    {
        var now = SettleLocked();
        if (TaskStates.IsTerminal(task.State)) return false;
        if (task.State == TaskStates.Canceling) return true;
        task.State = TaskStates.Canceling;
        task.UpdatedAtNs = now;
        task.OutputClosed = true;
        task.Execution?.Cancel();
        Logs.RemoveTaskLinesAfter(task.App.Guid, task.Guid, now);
        var stopping = now + Jitter(1, 3);
        var destroying = stopping + Jitter(1, 3);
        AddCellLineLocked(task, stopping, "stopping instance");
        AddCellLineLocked(task, destroying, "destroying container for instance");
        AddCellLineLocked(task, destroying + Jitter(200, 400), "successfully destroyed container for instance");
        ScheduleLocked(task, now + CancelToFailed.Ticks * 100, TaskStates.Failed, "task was cancelled");
        return true;
    }

    internal void RegisterTaskLocked(FakeTask task)
    {
        task.App.Tasks.Add(task);
        _tasks.Add(task);
        _tasksByGuid[task.Guid] = task;
    }

    private void ExitedLocked(FakeTask task, long atNs, int exitCode)
    {
        if (task.OutputClosed || task.State != TaskStates.Running) return;
        task.OutputClosed = true;
        AddTaskLineLocked(task, atNs, "OUT", "Exit status " + exitCode);
        var stopping = atNs + Jitter(1, 3);
        var destroying = stopping + Jitter(1, 3);
        var destroyed = destroying + Jitter(30, 90);
        AddCellLineLocked(task, stopping, "stopping instance");
        AddCellLineLocked(task, destroying, "destroying container for instance");
        AddCellLineLocked(task, destroyed, "successfully destroyed container for instance");
        var reason = exitCode == 0 ? null : $"APP/TASK/{task.Name}: Exited with status {exitCode}";
        ScheduleLocked(task, destroyed + Jitter(1, 2), exitCode == 0 ? TaskStates.Succeeded : TaskStates.Failed, reason);
    }

    private void AddTaskLineLocked(FakeTask task, long atNs, string stream, string message, long visibleAtNs = long.MinValue) =>
        Logs.Add(new LogEnvelope
        {
            TimestampNs = atNs, SourceId = task.App.Guid, SourceType = "APP/TASK/" + task.Name, Stream = stream, Message = message,
            TaskGuid = task.Guid, VisibleAtNs = visibleAtNs,
        });

    /// <summary>A CELL lifecycle line: <c>Cell &lt;cell&gt; &lt;what&gt; &lt;task guid&gt;</c>.</summary>
    private void AddCellLineLocked(FakeTask task, long atNs, string what) =>
        Logs.Add(new LogEnvelope
        {
            TimestampNs = atNs, SourceId = task.App.Guid, SourceType = "CELL", Stream = "OUT",
            Message = $"Cell {task.CellId} {what} {task.Guid}", TaskGuid = task.Guid,
        });

    private string RandomTaskName() => ((uint)_random.NextInt64(0, 1L << 32)).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    private static void CopyInto(IDictionary<string, string> target, IReadOnlyDictionary<string, string>? source)
    {
        if (source is null) return;
        foreach (var (key, value) in source) target[key] = value;
    }

    /// <summary>What a runner reports into; thread-safe (takes Gate), so a real-process runner may call it later.</summary>
    private sealed class TaskOutput(FakeState state, FakeTask task) : ITaskOutput
    {
        public void Write(long timestampNs, string stream, string line) => Write(timestampNs, stream, line, long.MinValue);

        public void Write(long timestampNs, string stream, string line, long visibleAtNs)
        {
            lock (state.Gate)
            {
                if (!task.OutputClosed) state.AddTaskLineLocked(task, timestampNs, stream, line, visibleAtNs);
            }
        }

        public void Exited(long timestampNs, int exitCode)
        {
            lock (state.Gate) state.ExitedLocked(task, timestampNs, exitCode);
        }
    }
}
