using FakeCloudFoundry.Model;

namespace FakeCloudFoundry.State;

/// <summary>The read-only controls' views of tasks and logs (see ControlViews.cs).</summary>
public sealed partial class FakeState
{
    /// <summary>The task as a <see cref="TaskView"/> (state brought up to the fake clock), or null.</summary>
    public TaskView? GetTaskView(string guid) => GetTask(guid) is { } task ? ViewOf(task) : null;

    /// <summary>An app's tasks in sequence order as <see cref="TaskView"/>s.</summary>
    public IReadOnlyList<TaskView> TaskViewsOf(string appGuid) => TasksOf(appGuid).Select(ViewOf).ToList();

    /// <summary>Every envelope of a source stamped up to now, oldest first, as <see cref="EnvelopeView"/>s.</summary>
    public IReadOnlyList<EnvelopeView> LogViewsOf(string sourceId) =>
        LogsOf(sourceId).Select(e => new EnvelopeView(e.TimestampNs, e.SourceType, e.InstanceId, e.Stream, e.Message)).ToList();

    /// <summary>Under the lock: the task's metadata may be changed by a request meanwhile.</summary>
    private TaskView ViewOf(FakeTask task)
    {
        lock (Gate)
        {
            return new(
                task.Guid, task.SequenceId, task.Name, task.Command, task.State, task.MemoryInMb, task.DiskInMb, task.FailureReason,
                task.CreatedAtNs, task.UpdatedAtNs, task.DropletGuid,
                new MetadataView(Copy(task.Metadata.LabelsView), Copy(task.Metadata.AnnotationsView)));
        }
    }

    private static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string> map) => new(map, StringComparer.Ordinal);
}
