using System.Runtime.CompilerServices;
using CfTasks.Client.Api;
using CfTasks.Client.Errors;

namespace CfTasks.Client.Services;

/// <summary>How much of a log to read and how to follow it.</summary>
public sealed record LogReadOptions
{
    /// <summary>Only the last N lines (read newest first, so the whole window is not read).</summary>
    public int? Tail { get; init; }

    /// <summary>Only lines at or after this instant.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Add the <c>CELL</c> container lines (creating/destroying the task's container) that name the task's guid.</summary>
    public bool IncludeLifecycle { get; init; }

    /// <summary>While following: how long to wait before asking log-cache again when it had nothing new (the cf CLI: 250 ms).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>While following a task: how often to ask the Cloud Controller whether it has finished.</summary>
    public TimeSpan TaskPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// While following: how far back each poll reads again, so an envelope that reaches log-cache late (stamped before
    /// the newest one seen) is still shown; already shown envelopes are recognised and skipped (the cf CLI holds back the
    /// last 2 s instead).
    /// </summary>
    public TimeSpan FollowOverlap { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>After a followed task is terminal: how long to wait for its <c>Exit status</c> line before ending anyway.</summary>
    public TimeSpan FinalLinesGrace { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Task logs from log-cache (<c>GET {log_cache}/api/v1/read/&lt;app guid&gt;</c>, LOG envelopes), selected to one task's
/// own lines or to an app's task lines, oldest first: the whole window, the last N lines, or followed live. The four
/// public reads differ only in what they select and how a follow starts and ends; one loop reads for all of them.
/// </summary>
public sealed class LogService
{
    /// <summary>The source-type prefix of task output; the task name follows as is.</summary>
    public const string TaskSourcePrefix = "APP/TASK/";

    private static readonly IReadOnlyDictionary<string, string> NoTaskNames = new Dictionary<string, string>();
    private readonly ILogCacheApi? _logCache;
    private readonly TaskService _tasks;
    private readonly CfTarget _target;
    private readonly TimeProvider _time;

    internal LogService(ILogCacheApi? logCache, TaskService tasks, CfTarget target, TimeProvider time)
    {
        _logCache = logCache;
        _tasks = tasks;
        _target = target;
        _time = time;
    }

    /// <summary>
    /// The task's log as far as it is in log-cache now: its <c>APP/TASK/&lt;name&gt;</c> lines within its own time window,
    /// ending with <c>Exit status N</c> when it has finished (plus its CELL lines with <see cref="LogReadOptions.IncludeLifecycle"/>).
    /// </summary>
    public async IAsyncEnumerable<CfLogEntry> GetTaskLogAsync(CfTask task, LogReadOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (task is null) throw new ArgumentNullException(nameof(task));
        options ??= new LogReadOptions();
        var reader = NewReader(task.AppGuid);
        CfDiagnostics.Verbose($"Reading the log of task {task.SequenceId} ({task.Name}) of app {task.AppName ?? task.AppGuid} from log-cache.");
        var selector = new TaskLineSelector(task, options.IncludeLifecycle, SinceNs(options));
        await foreach (var entry in ReadAsync(reader, selector, options, following: null, cancellationToken).ConfigureAwait(false)) yield return entry;
    }

    /// <summary>
    /// The task's log, then its new lines as they arrive, until the task is terminal and its final lines are in (its
    /// <c>Exit status</c> line, or <see cref="LogReadOptions.FinalLinesGrace"/> after it was seen terminal). Asks the Cloud
    /// Controller for the task's state every <see cref="LogReadOptions.TaskPollInterval"/>; the follow's
    /// <see cref="TaskLogFollow.Task"/> is the latest view (the final task once the follow has ended). Cancel to stop at once.
    /// When the task has finished, its whole window is read once more and every line of it not yet given is given then
    /// (lines that reached log-cache later than the follow's overlap reaches back), so a follow gives the same lines as
    /// <see cref="GetTaskLogAsync"/> afterwards (those at or after the first line shown, with <see cref="LogReadOptions.Tail"/>).
    /// </summary>
    public TaskLogFollow FollowTaskAsync(CfTask task, LogReadOptions? options, CancellationToken cancellationToken)
    {
        if (task is null) throw new ArgumentNullException(nameof(task));
        return new TaskLogFollow(this, task, options ?? new LogReadOptions(), cancellationToken);
    }

    internal async IAsyncEnumerable<CfLogEntry> FollowAsync(TaskLogFollow follow, LogReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var task = follow.Task;
        var reader = NewReader(task.AppGuid);
        CfDiagnostics.Verbose($"Following the log of task {task.SequenceId} ({task.Name}) of app {task.AppName ?? task.AppGuid}.");
        var selector = new TaskLineSelector(task, options.IncludeLifecycle, SinceNs(options));
        var following = new TaskFollowing(this, follow, selector, options);
        var given = new GivenLines();
        await foreach (var entry in ReadAsync(reader, selector, options, following, cancellationToken).ConfigureAwait(false))
        {
            given.Add(entry);
            yield return entry;
        }
        if (!follow.Task.IsTerminal) yield break;

        // Late arrivals: the whole window once more, selected as a read of the finished task selects it.
        var whole = new TaskLineSelector(follow.Task, options.IncludeLifecycle, SinceNs(options));
        var from = options.Tail is not null ? given.Oldest : null; // after the last N lines, the lines before them stay out
        var late = new List<CfLogEntry>();
        await foreach (var page in reader.ReadForwardAsync(whole.StartNs, whole.EndNs, cancellationToken).ConfigureAwait(false))
            foreach (var entry in page) whole.Offer(entry, late);
        whole.Flush(late);
        var added = 0;
        foreach (var entry in late)
        {
            if ((from is { } oldest && entry.TimestampUnixNanoseconds < oldest) || !given.Add(entry)) continue;
            added++;
            yield return entry;
        }
        if (added > 0) CfDiagnostics.Verbose($"{added} line(s) of task {follow.Task.SequenceId} ({follow.Task.Name}) reached log-cache late; shown after the rest.");
    }

    /// <summary>
    /// The task lines of an app as far as they are in log-cache now: every <c>APP/TASK/*</c> line, or those of the tasks
    /// named <paramref name="taskName"/> (every run of that name), oldest first.
    /// </summary>
    public async IAsyncEnumerable<CfLogEntry> GetAppTaskLogAsync(
        CfApp app, string? taskName, LogReadOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (app is null) throw new ArgumentNullException(nameof(app));
        options ??= new LogReadOptions();
        var reader = NewReader(app.Guid);
        var selector = await AppSelectorAsync(app, taskName, options, cancellationToken).ConfigureAwait(false);
        CfDiagnostics.Verbose($"Reading the task lines{(taskName is null ? "" : $" of '{taskName}'")} of app {app.Name} from log-cache.");
        await foreach (var entry in ReadAsync(reader, selector, options, following: null, cancellationToken).ConfigureAwait(false)) yield return entry;
    }

    /// <summary>
    /// An app's task lines as they arrive, like <c>cf logs</c> (until cancelled): from <see cref="LogReadOptions.Since"/>,
    /// else the last <see cref="LogReadOptions.Tail"/> lines, else from one second before the newest envelope.
    /// </summary>
    public async IAsyncEnumerable<CfLogEntry> FollowAppTaskLogAsync(
        CfApp app, string? taskName, LogReadOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (app is null) throw new ArgumentNullException(nameof(app));
        options ??= new LogReadOptions();
        var reader = NewReader(app.Guid);
        var selector = await AppSelectorAsync(app, taskName, options, cancellationToken).ConfigureAwait(false);
        var following = new AppFollowing(this, app, taskName, selector, options);
        await foreach (var entry in ReadAsync(reader, selector, options, following, cancellationToken).ConfigureAwait(false)) yield return entry;
    }

    /// <summary>
    /// The one read loop. Without <paramref name="following"/>: the selector's window once (or its last N lines). With
    /// it: from where the follow starts (after the last N lines, if asked), read again and again from just before the
    /// newest envelope seen, until the follow says it is done.
    /// </summary>
    private async IAsyncEnumerable<CfLogEntry> ReadAsync(
        LogWindowReader reader, LogLineSelector selector, LogReadOptions options, Following? following, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var selected = new List<CfLogEntry>();
        var cursor = new FollowCursor(options.FollowOverlap, selector.StartNs);
        if (options.Tail is { } tail)
        {
            var result = await ReadTailAsync(reader, selector, tail, cancellationToken).ConfigureAwait(false);
            foreach (var entry in result.Lines) yield return entry;
            if (following is null) yield break;
            cursor.Resume(result.Read);
        }
        else if (following is null)
        {
            await foreach (var page in reader.ReadForwardAsync(selector.StartNs, selector.EndNs, cancellationToken).ConfigureAwait(false))
            {
                foreach (var entry in page) selector.Offer(entry, selected);
                foreach (var entry in selected) yield return entry;
                selected.Clear();
            }
            selector.Flush(selected);
            foreach (var entry in selected) yield return entry;
            yield break;
        }
        else if (options.Since is null && await following.StartAsync(reader, cancellationToken).ConfigureAwait(false) is { } start)
        {
            cursor = new FollowCursor(options.FollowOverlap, start);
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await following.BeforeReadAsync(cancellationToken).ConfigureAwait(false);
            // Read after looking at the state, so the read that follows "terminal" sees the task's final lines.
            if (cursor.ReadFrom is not { } from || selector.EndNs is not { } end || from < end)
            {
                await foreach (var page in reader.ReadForwardAsync(cursor.ReadFrom, selector.EndNs, cancellationToken).ConfigureAwait(false))
                {
                    foreach (var entry in page)
                        if (cursor.IsNew(entry)) selector.Offer(entry, selected);
                    foreach (var entry in selected) yield return entry;
                    selected.Clear();
                }
                cursor.Advance();
            }
            following.Settle(selected);
            foreach (var entry in selected) yield return entry;
            selected.Clear();
            if (following.IsDone) break;
            await Task.Delay(options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
        selector.Flush(selected);
        foreach (var entry in selected) yield return entry;
    }

    private LogWindowReader NewReader(string appGuid) =>
        new(_logCache ?? throw CfErrors.LogCacheNotAvailable(_target.ApiEndpoint), appGuid, time: _time);

    private static long? SinceNs(LogReadOptions options) =>
        options.Since is { } since ? CfObjectMapper.ToUnixNanoseconds(since) : null;

    private async Task<AppTaskLineSelector> AppSelectorAsync(CfApp app, string? taskName, LogReadOptions options, CancellationToken cancellationToken) =>
        new(taskName, options.IncludeLifecycle,
            options.IncludeLifecycle ? await TaskNamesAsync(app, taskName, cancellationToken).ConfigureAwait(false) : NoTaskNames, SinceNs(options));

    /// <summary>The app's tasks (of that name), by lower-case guid: which task a CELL line names.</summary>
    private async Task<IReadOnlyDictionary<string, string>> TaskNamesAsync(CfApp app, string? taskName, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var tasks = _tasks.List(new TaskListQuery { Apps = [app], Names = taskName is null ? null : [taskName] });
        await foreach (var task in tasks.WithCancellation(cancellationToken).ConfigureAwait(false)) names[task.Guid.ToLowerInvariant()] = task.Name;
        return names;
    }

    /// <summary>
    /// The last <paramref name="count"/> selected lines, reading backwards from the window's end page by page until enough
    /// are found (the selection is applied oldest first over what was read, as a forward read would).
    /// </summary>
    private static async Task<TailResult> ReadTailAsync(LogWindowReader reader, LogLineSelector selector, int count, CancellationToken cancellationToken)
    {
        if (count <= 0) return new TailResult([], []);
        var candidates = new List<CfLogEntry>(); // newest first
        var read = new List<CfLogEntry>();       // every envelope read near the newest, for a follow that continues
        var check = count;
        await foreach (var entry in reader.ReadBackwardAsync(selector.StartNs, selector.EndNs, cancellationToken).ConfigureAwait(false))
        {
            if (read.Count < 10_000) read.Add(entry);
            if (!selector.IsCandidate(entry)) continue;
            candidates.Add(entry);
            if (candidates.Count < check) continue;
            check *= 2;
            if (Select(selector, candidates, probe: true).Count >= count) break;
        }
        var selected = Select(selector, candidates, probe: false);
        return new TailResult(selected.Count > count ? selected.GetRange(selected.Count - count, count) : selected, read);
    }

    /// <summary>Runs the selection forwards over newest-first candidates; a probe uses a throw-away copy of the selector's state.</summary>
    private static List<CfLogEntry> Select(LogLineSelector selector, List<CfLogEntry> newestFirst, bool probe)
    {
        var target = probe && selector is TaskLineSelector task ? task.Fresh() : selector; // app selectors keep no state
        var result = new List<CfLogEntry>();
        for (var i = newestFirst.Count - 1; i >= 0; i--) target.Offer(newestFirst[i], result);
        target.Flush(result);
        return result;
    }

    private sealed record TailResult(List<CfLogEntry> Lines, List<CfLogEntry> Read);

    /// <summary>How a follow starts, what it does before each read, and when it ends.</summary>
    private abstract class Following
    {
        /// <summary>Where to start reading when neither the last N lines nor a start time were asked for; null: the window's start.</summary>
        public virtual Task<long?> StartAsync(LogWindowReader reader, CancellationToken cancellationToken) => Task.FromResult<long?>(null);

        public abstract Task BeforeReadAsync(CancellationToken cancellationToken);

        /// <summary>After a read: adds lines the selector held back that are certain by now.</summary>
        public virtual void Settle(List<CfLogEntry> selected)
        {
        }

        public abstract bool IsDone { get; }
    }

    /// <summary>A task's follow: polls the task's state; ends once it is terminal and its final lines are in (or after a grace).</summary>
    private sealed class TaskFollowing(LogService logs, TaskLogFollow follow, TaskLineSelector selector, LogReadOptions options) : Following
    {
        private DateTimeOffset? _terminalSince;
        private DateTimeOffset _lastStatePoll = DateTimeOffset.MinValue;

        public override async Task BeforeReadAsync(CancellationToken cancellationToken)
        {
            if (_terminalSince is not null || logs._time.GetUtcNow() - _lastStatePoll < options.TaskPollInterval) return;
            _lastStatePoll = logs._time.GetUtcNow();
            var current = follow.Task = await logs._tasks.RefreshAsync(follow.Task, cancellationToken).ConfigureAwait(false);
            if (!current.IsTerminal) return;
            selector.Update(current);
            _terminalSince = logs._time.GetUtcNow();
            CfDiagnostics.Verbose($"Task {current.SequenceId} ({current.Name}) is {current.State}; reading its last lines.");
        }

        // Lines held back at the task's start (an earlier run of the same name?) are settled once the task has
        // finished and its window was read, or a few seconds after the start.
        public override void Settle(List<CfLogEntry> selected)
        {
            if (_terminalSince is not null) selector.Flush(selected);
            else selector.Settle(CfObjectMapper.ToUnixNanoseconds(logs._time.GetUtcNow()), selected);
        }

        public override bool IsDone
        {
            get
            {
                if (_terminalSince is not { } since) return false;
                if (selector.HasFinalLines) return true;
                if (logs._time.GetUtcNow() - since < options.FinalLinesGrace) return false;
                CfDiagnostics.Verbose($"Task {follow.Task.SequenceId} ({follow.Task.Name}) is {follow.Task.State} and its Exit status line did not arrive within {options.FinalLinesGrace.TotalSeconds:0.#} s; the log ends here.");
                return true;
            }
        }
    }

    /// <summary>An app's follow, like <c>cf logs</c>: starts one second before the newest envelope and goes on until cancelled.</summary>
    private sealed class AppFollowing(LogService logs, CfApp app, string? taskName, AppTaskLineSelector selector, LogReadOptions options) : Following
    {
        private DateTimeOffset _lastTaskRefresh = logs._time.GetUtcNow();

        public override async Task<long?> StartAsync(LogWindowReader reader, CancellationToken cancellationToken) =>
            await reader.NewestTimestampAsync(cancellationToken).ConfigureAwait(false) is { } newest ? newest - 1_000_000_000 : null;

        public override async Task BeforeReadAsync(CancellationToken cancellationToken)
        {
            // While following, tasks keep being started: refresh which guids the CELL lines may name.
            if (!options.IncludeLifecycle || logs._time.GetUtcNow() - _lastTaskRefresh < TimeSpan.FromTicks(options.TaskPollInterval.Ticks * 5)) return;
            _lastTaskRefresh = logs._time.GetUtcNow();
            selector.UpdateTasks(await logs.TaskNamesAsync(app, taskName, cancellationToken).ConfigureAwait(false));
        }

        public override bool IsDone => false;
    }

    /// <summary>
    /// Where the next poll of a follow starts, and which envelopes were already handled: each poll reads again from
    /// <see cref="LogReadOptions.FollowOverlap"/> before the newest envelope seen, so late arrivals are not skipped, and
    /// envelopes seen before are recognised by time, source, instance, stream and text, so none is shown twice.
    /// </summary>
    private sealed class FollowCursor(TimeSpan overlap, long? start)
    {
        private readonly long _overlapNs = overlap.Ticks * 100;
        private readonly HashSet<LogEntryKey> _seen = [];
        private long? _newest;

        public long? ReadFrom { get; private set; } = start;

        public bool IsNew(CfLogEntry entry)
        {
            if (!_seen.Add(LogEntryKey.Of(entry))) return false;
            if (_newest is null || entry.TimestampUnixNanoseconds > _newest) _newest = entry.TimestampUnixNanoseconds;
            return true;
        }

        /// <summary>Continues after a tail read: what it read counts as seen.</summary>
        public void Resume(IReadOnlyCollection<CfLogEntry> read)
        {
            if (read.Count == 0) return;
            foreach (var entry in read) IsNew(entry);
            // Never reach back before what the tail read: older lines were left out on purpose.
            var oldest = read.Min(e => e.TimestampUnixNanoseconds);
            if (ReadFrom is null || ReadFrom < oldest) ReadFrom = oldest;
            Advance();
        }

        public void Advance()
        {
            if (_newest is not { } newest) return;
            var from = newest - _overlapNs;
            if (ReadFrom is { } current && current >= from) return;
            ReadFrom = from;
            _seen.RemoveWhere(k => k.Timestamp < from);
        }
    }
}

/// <summary>
/// The lines a follow has given, remembered compactly (time and a 64-bit hash of source, instance, stream and text:
/// about 16 bytes a line, not the line), so the final read of the window gives only the ones not given yet.
/// </summary>
internal sealed class GivenLines
{
    private readonly HashSet<(long Timestamp, ulong Hash)> _lines = [];

    /// <summary>The oldest time given, or null before the first line.</summary>
    public long? Oldest { get; private set; }

    /// <summary>Remembers a line; false when it was given before.</summary>
    public bool Add(CfLogEntry entry)
    {
        if (Oldest is null || entry.TimestampUnixNanoseconds < Oldest) Oldest = entry.TimestampUnixNanoseconds;
        var hash = Fnv1a(Fnv1a(Fnv1a(Fnv1a(OffsetBasis, entry.SourceType), entry.InstanceId), entry.Stream), entry.Message);
        return _lines.Add((entry.TimestampUnixNanoseconds, hash));
    }

    private const ulong OffsetBasis = 14695981039346656037UL;

    private static ulong Fnv1a(ulong hash, string text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return (hash ^ 0xFFFF) * 1099511628211UL; // a separator, so "ab"+"c" and "a"+"bc" differ
    }
}

/// <summary>
/// A followed task log (see <see cref="LogService.FollowTaskAsync"/>): its lines as they arrive, and the latest view of
/// the task the follow polled (<see cref="Task"/>: its final state once the enumeration has ended by itself).
/// </summary>
public sealed class TaskLogFollow : IAsyncEnumerable<CfLogEntry>
{
    private readonly LogService _logs;
    private readonly LogReadOptions _options;
    private readonly CancellationToken _cancellationToken;

    internal TaskLogFollow(LogService logs, CfTask task, LogReadOptions options, CancellationToken cancellationToken)
    {
        _logs = logs;
        _options = options;
        _cancellationToken = cancellationToken;
        Task = task;
    }

    /// <summary>The latest view of the followed task.</summary>
    public CfTask Task { get; internal set; }

    /// <inheritdoc />
    public IAsyncEnumerator<CfLogEntry> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        _logs.FollowAsync(this, _options, _cancellationToken).GetAsyncEnumerator(cancellationToken); // the two tokens are linked
}
