using System.Text.RegularExpressions;

namespace CfTasks.Client.Services;

/// <summary>
/// Decides which envelopes of an app's log-cache source belong to what the user asked for. Fed entries oldest first;
/// may hold some back briefly (see <see cref="TaskLineSelector"/>), so callers call <see cref="Flush"/> at the end.
/// </summary>
internal abstract class LogLineSelector
{
    /// <summary>Lower bound of the time window to read (inclusive), or null for the start of the cache.</summary>
    public long? StartNs { get; protected set; }

    /// <summary>Upper bound of the time window to read (exclusive), or null for "up to now".</summary>
    public long? EndNs { get; protected set; }

    /// <summary>Whether an entry could belong to the selection at all (source type, guid, window); cheap and stateless.</summary>
    public abstract bool IsCandidate(CfLogEntry entry);

    /// <summary>The entries that become certain with this one (usually this one, or nothing).</summary>
    public abstract IEnumerable<CfLogEntry> Offer(CfLogEntry entry);

    /// <summary>Entries held back until now: the input has ended.</summary>
    public virtual IEnumerable<CfLogEntry> Flush() => [];

    /// <summary>True once the last lines the selection can have are in (for a task: its <c>Exit status</c> line).</summary>
    public virtual bool HasFinalLines => false;

    /// <summary>Whether a message is the executor's <c>Exit status N</c> line.</summary>
    public static bool IsExitLine(string message) => ExitLine().IsMatch(message);

    internal static CfLogEntry WithTaskName(CfLogEntry entry, string? taskName) => entry.TaskName == taskName ? entry : new CfLogEntry
    {
        Timestamp = entry.Timestamp,
        TimestampUnixNanoseconds = entry.TimestampUnixNanoseconds,
        AppGuid = entry.AppGuid,
        SourceType = entry.SourceType,
        InstanceId = entry.InstanceId,
        Stream = entry.Stream,
        Message = entry.Message,
        TaskName = taskName,
    };

    private static Regex ExitLine() => ExitLinePattern;
    private static readonly Regex ExitLinePattern = new(@"^Exit status -?\d+", RegexOptions.CultureInvariant);
}

/// <summary>
/// One task's lines. Task names are not unique, so the task's <c>APP/TASK/&lt;name&gt;</c> lines are bounded by its own time:
/// <list type="bullet">
/// <item>the window is created_at − 1 s .. updated_at (terminal) + 2 s: CC timestamps are truncated to the second and
/// cells' clocks are not the CC's;</item>
/// <item>in the second before created_at, an <c>Exit status</c> line of the same source type ends an earlier run of the same
/// name: it and the lines before it are dropped (lines of that second are held back until this is known);</item>
/// <item>after the task's own <c>Exit status</c> line, further lines of the same source type belong to a later run.</item>
/// </list>
/// With lifecycle wanted, <c>CELL</c> lines whose text names the task's guid are added.
/// </summary>
internal sealed class TaskLineSelector : LogLineSelector
{
    private static readonly long Second = 1_000_000_000;
    private readonly string _sourceType;
    private readonly string _taskGuid;
    private readonly string _taskName;
    private readonly bool _lifecycle;
    private readonly long _createdNs;
    private readonly long? _sinceNs;
    private readonly CfTask _task;
    private readonly List<CfLogEntry> _beforeCreation = [];
    private bool _exitSeen;
    private bool _destroyedSeen;

    public TaskLineSelector(CfTask task, bool includeLifecycle, long? sinceNs)
    {
        _task = task;
        _sourceType = LogService.TaskSourcePrefix + task.Name;
        _taskGuid = task.Guid;
        _taskName = task.Name;
        _lifecycle = includeLifecycle;
        _sinceNs = sinceNs;
        _createdNs = LogWindowReader.ToUnixNanoseconds(task.CreatedAt);
        var windowStart = _createdNs - Second;
        StartNs = sinceNs is { } since && since > windowStart ? since : windowStart;
        Update(task);
    }

    /// <summary>A selector for the same task and window with none of this one's state (for trial runs).</summary>
    public TaskLineSelector Fresh() => new(_task, _lifecycle, _sinceNs) { EndNs = EndNs };

    /// <summary>A newer view of the task: once it is terminal, the window gets its end.</summary>
    public void Update(CfTask task)
    {
        if (task.IsTerminal) EndNs = LogWindowReader.ToUnixNanoseconds(task.UpdatedAt) + 2 * Second;
    }

    /// <inheritdoc />
    public override bool HasFinalLines => _exitSeen && (!_lifecycle || _destroyedSeen);

    /// <inheritdoc />
    public override bool IsCandidate(CfLogEntry entry)
    {
        var ts = entry.TimestampUnixNanoseconds;
        if (ts < StartNs || (EndNs is { } end && ts >= end)) return false;
        return IsOwnLine(entry) || IsLifecycleLine(entry);
    }

    /// <inheritdoc />
    public override IEnumerable<CfLogEntry> Offer(CfLogEntry entry)
    {
        if (!IsCandidate(entry)) return [];
        var own = IsOwnLine(entry);
        if (entry.TimestampUnixNanoseconds < _createdNs)
        {
            if (own && IsExitLine(entry.Message)) _beforeCreation.RemoveAll(IsOwnLine); // an earlier run of the same name ended here
            else _beforeCreation.Add(entry);
            return [];
        }

        var released = Flush().ToList();
        if (own)
        {
            if (_exitSeen) return released; // a later run of the same name
            if (IsExitLine(entry.Message)) _exitSeen = true;
            released.Add(entry);
        }
        else
        {
            if (entry.Message.Contains("successfully destroyed container", StringComparison.OrdinalIgnoreCase)) _destroyedSeen = true;
            released.Add(WithTaskName(entry, _taskName));
        }
        return released;
    }

    /// <inheritdoc />
    public override IEnumerable<CfLogEntry> Flush()
    {
        if (_beforeCreation.Count == 0) return [];
        var held = _beforeCreation.Select(e => IsOwnLine(e) ? e : WithTaskName(e, _taskName)).ToList();
        _beforeCreation.Clear();
        return held;
    }

    private bool IsOwnLine(CfLogEntry entry) => string.Equals(entry.SourceType, _sourceType, StringComparison.Ordinal);

    private bool IsLifecycleLine(CfLogEntry entry) =>
        _lifecycle && string.Equals(entry.SourceType, "CELL", StringComparison.Ordinal)
                   && entry.Message.Contains(_taskGuid, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// An app's task lines: every <c>APP/TASK/*</c> source type, or only <c>APP/TASK/&lt;name&gt;</c>; with lifecycle wanted,
/// the <c>CELL</c> lines that name one of the given task guids.
/// </summary>
internal sealed partial class AppTaskLineSelector : LogLineSelector
{
    private readonly string? _sourceType;
    private readonly bool _lifecycle;
    private IReadOnlyDictionary<string, string> _taskNamesByGuid;

    public AppTaskLineSelector(string? taskName, bool includeLifecycle, IReadOnlyDictionary<string, string> taskNamesByGuid, long? sinceNs)
    {
        _sourceType = taskName is null ? null : LogService.TaskSourcePrefix + taskName;
        _lifecycle = includeLifecycle;
        _taskNamesByGuid = taskNamesByGuid;
        StartNs = sinceNs;
    }

    /// <summary>A newer list of the app's tasks (while following, tasks keep being started).</summary>
    public void UpdateTasks(IReadOnlyDictionary<string, string> taskNamesByGuid) => _taskNamesByGuid = taskNamesByGuid;

    /// <inheritdoc />
    public override bool IsCandidate(CfLogEntry entry)
    {
        if (StartNs is { } start && entry.TimestampUnixNanoseconds < start) return false;
        if (_sourceType is null ? entry.SourceType.StartsWith(LogService.TaskSourcePrefix, StringComparison.Ordinal)
                                : string.Equals(entry.SourceType, _sourceType, StringComparison.Ordinal)) return true;
        return LifecycleTaskName(entry) is not null;
    }

    /// <inheritdoc />
    public override IEnumerable<CfLogEntry> Offer(CfLogEntry entry)
    {
        if (!IsCandidate(entry)) return [];
        return [LifecycleTaskName(entry) is { } name ? WithTaskName(entry, name) : entry];
    }

    private string? LifecycleTaskName(CfLogEntry entry)
    {
        if (!_lifecycle || !string.Equals(entry.SourceType, "CELL", StringComparison.Ordinal)) return null;
        foreach (Match guid in GuidPattern().Matches(entry.Message))
            if (_taskNamesByGuid.TryGetValue(guid.Value.ToLowerInvariant(), out var name)) return name;
        return null;
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidPattern();
}
