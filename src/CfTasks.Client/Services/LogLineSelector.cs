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

    /// <summary>Adds to <paramref name="selected"/> the entries that become certain with this one (usually this one, or nothing).</summary>
    public abstract void Offer(CfLogEntry entry, List<CfLogEntry> selected);

    /// <summary>Adds the entries held back until now to <paramref name="selected"/>: the input has ended.</summary>
    public virtual void Flush(List<CfLogEntry> selected)
    {
    }

    /// <summary>While following: adds the held-back entries that are certain by now (<paramref name="nowNs"/>, the local clock).</summary>
    public virtual void Settle(long nowNs, List<CfLogEntry> selected)
    {
    }

    /// <summary>True once the last lines the selection can have are in (for a task: its <c>Exit status</c> line).</summary>
    public virtual bool HasFinalLines => false;

    /// <summary>Whether a message is the executor's <c>Exit status N</c> line.</summary>
    public static bool IsExitLine(string message) =>
        message.StartsWith("Exit status ", StringComparison.Ordinal) && ExitLine().IsMatch(message);

    internal static CfLogEntry WithTaskName(CfLogEntry entry, string? taskName) =>
        entry.TaskName == taskName ? entry : entry with { TaskName = taskName };

    private static Regex ExitLine() => ExitLinePattern;
    private static readonly Regex ExitLinePattern = new(@"^Exit status -?\d+", RegexOptions.CultureInvariant);
}

/// <summary>
/// One task's lines. Task names are not unique, so the task's <c>APP/TASK/&lt;name&gt;</c> lines are bounded by its own time:
/// <list type="bullet">
/// <item>the window is created_at − 1 s .. updated_at (terminal) + 2 s: CC timestamps are truncated to the second and
/// cells' clocks are not the CC's;</item>
/// <item>lines before created_at + 1 s may still belong to an earlier run of the same name, so they are held back until
/// that is settled: the cell's <c>creating container for instance &lt;guid&gt;</c> line marks the task's start (same-named
/// lines before it are dropped); without it, an <c>Exit status</c> line followed by more lines of the same name ends an
/// earlier run (it and the lines before it are dropped);</item>
/// <item>after the task's own <c>Exit status</c> line, further lines of the same source type belong to a later run.</item>
/// </list>
/// With lifecycle wanted, the <c>CELL</c> lines whose text names the task's guid are added.
/// </summary>
internal sealed class TaskLineSelector : LogLineSelector
{
    private static readonly long Second = 1_000_000_000;
    private readonly CfTask _task;
    private readonly string _sourceType;
    private readonly bool _lifecycle;
    private readonly long _uncertainUntil;
    private readonly long? _sinceNs;
    private readonly List<CfLogEntry> _held = [];
    private int _heldExit = -1;
    private bool _started;
    private bool _exitSeen;
    private bool _destroyedSeen;

    public TaskLineSelector(CfTask task, bool includeLifecycle, long? sinceNs)
    {
        _task = task;
        _sourceType = LogService.TaskSourcePrefix + task.Name;
        _lifecycle = includeLifecycle;
        _sinceNs = sinceNs;
        var created = CfObjectMapper.ToUnixNanoseconds(task.CreatedAt);
        _uncertainUntil = created + Second;
        var windowStart = created - Second;
        StartNs = sinceNs is { } since && since > windowStart ? since : windowStart;
        Update(task);
    }

    /// <summary>A selector for the same task and window with none of this one's state (for trial runs).</summary>
    public TaskLineSelector Fresh() => new(_task, _lifecycle, _sinceNs) { EndNs = EndNs };

    /// <summary>A newer view of the task: once it is terminal, the window gets its end.</summary>
    public void Update(CfTask task)
    {
        if (task.IsTerminal) EndNs = CfObjectMapper.ToUnixNanoseconds(task.UpdatedAt) + 2 * Second;
    }

    /// <inheritdoc />
    public override bool HasFinalLines => _exitSeen && (!_lifecycle || _destroyedSeen);

    /// <inheritdoc />
    public override bool IsCandidate(CfLogEntry entry)
    {
        var ts = entry.TimestampUnixNanoseconds;
        if (ts < StartNs || (EndNs is { } end && ts >= end)) return false;
        return IsOwnLine(entry) || IsCellLine(entry);
    }

    /// <inheritdoc />
    public override void Offer(CfLogEntry entry, List<CfLogEntry> selected)
    {
        if (!IsCandidate(entry)) return;
        if (entry.TimestampUnixNanoseconds < _uncertainUntil)
        {
            Hold(entry);
            return;
        }
        if (_held.Count > 0)
        {
            // The cell may start this task's container only after the uncertain second (a task created late in its
            // second): the same-named lines held until then were an earlier run's all the same.
            if (IsStartMarker(entry)) DropHeldOwnLines(_held.Count);
            Release(selected);
        }
        Accept(entry, selected);
    }

    /// <inheritdoc />
    public override void Flush(List<CfLogEntry> selected)
    {
        if (_held.Count > 0) Release(selected);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Two seconds after the uncertain second has passed, an earlier run's lines and the cell's marker are in. The
    /// foundation's clock and this machine's may disagree, so lines held for three seconds of this machine's own
    /// (monotonic) time are released too: a follower never sits on a task's first lines because of clock skew.
    /// </remarks>
    public override void Settle(long nowNs, List<CfLogEntry> selected)
    {
        if (nowNs >= _uncertainUntil + 2 * Second || (_heldSinceMs is { } since && Environment.TickCount64 - since >= HeldAtMostMs)) Flush(selected);
    }

    private const long HeldAtMostMs = 3000;
    private long? _heldSinceMs;

    private void Hold(CfLogEntry entry)
    {
        _heldSinceMs ??= Environment.TickCount64;
        if (IsOwnLine(entry))
        {
            if (!IsExitLine(entry.Message) && _heldExit >= 0)
            {
                // More lines after an Exit status: that exit ended an earlier run of the same name.
                DropHeldOwnLines(_heldExit + 1);
            }
            _held.Add(entry);
            if (!_started && IsExitLine(entry.Message)) _heldExit = _held.Count - 1;
            return;
        }
        if (IsStartMarker(entry))
        {
            // The cell starts this task's container here: same-named lines before it are an earlier run's.
            DropHeldOwnLines(_held.Count);
            _started = true;
        }
        _held.Add(entry);
    }

    private void DropHeldOwnLines(int count)
    {
        var kept = _held.Take(count).Where(e => !IsOwnLine(e)).Concat(_held.Skip(count)).ToList();
        _held.Clear();
        _held.AddRange(kept);
        _heldExit = -1;
    }

    private void Release(List<CfLogEntry> into)
    {
        foreach (var held in _held) Accept(held, into);
        _held.Clear();
        _heldExit = -1;
        _heldSinceMs = null;
    }

    private void Accept(CfLogEntry entry, List<CfLogEntry> into)
    {
        if (IsOwnLine(entry))
        {
            if (_exitSeen) return; // a later run of the same name
            if (IsExitLine(entry.Message)) _exitSeen = true;
            into.Add(entry);
            return;
        }
        if (!_lifecycle) return;
        if (entry.Message.Contains("successfully destroyed container", StringComparison.OrdinalIgnoreCase)) _destroyedSeen = true;
        into.Add(WithTaskName(entry, _task.Name));
    }

    private bool IsOwnLine(CfLogEntry entry) => string.Equals(entry.SourceType, _sourceType, StringComparison.Ordinal);

    /// <summary>The cell's <c>creating container for instance &lt;guid&gt;</c> line of this task (a candidate that is not an own line).</summary>
    private bool IsStartMarker(CfLogEntry entry) =>
        !IsOwnLine(entry)
        && entry.Message.Contains("creating container for instance", StringComparison.OrdinalIgnoreCase)
        && !entry.Message.Contains("successfully", StringComparison.OrdinalIgnoreCase);

    /// <summary>A CELL line naming this task's guid (read even without lifecycle: it marks where the task starts).</summary>
    private bool IsCellLine(CfLogEntry entry) =>
        string.Equals(entry.SourceType, "CELL", StringComparison.Ordinal)
        && entry.Message.Contains(_task.Guid, StringComparison.OrdinalIgnoreCase);
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
    public override void Offer(CfLogEntry entry, List<CfLogEntry> selected)
    {
        if (IsCandidate(entry)) selected.Add(LifecycleTaskName(entry) is { } name ? WithTaskName(entry, name) : entry);
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
