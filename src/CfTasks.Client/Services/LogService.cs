using System.Runtime.CompilerServices;
using CfTasks.Client.Errors;
using CfTasks.Client.Http;
using CfTasks.Client.Models;

namespace CfTasks.Client.Services;

/// <summary>How much of a log to read and how to follow it.</summary>
public sealed record LogReadOptions
{
    /// <summary>Only the last N lines (read newest first, so the whole window is not read).</summary>
    public int? Tail { get; init; }

    /// <summary>Only lines at or after this time.</summary>
    public DateTime? Since { get; init; }

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
/// own lines or to an app's task lines, oldest first: the whole window, the last N lines, or followed live.
/// </summary>
public sealed class LogService
{
    /// <summary>The source-type prefix of task output; the task name follows as is.</summary>
    public const string TaskSourcePrefix = "APP/TASK/";

    private readonly CfSession _session;
    private readonly TimeProvider _time;

    internal LogService(CfSession session, TimeProvider? time = null)
    {
        _session = session;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// The task's log as far as it is in log-cache now: its <c>APP/TASK/&lt;name&gt;</c> lines within its own time window,
    /// ending with <c>Exit status N</c> when it has finished (plus its CELL lines with <see cref="LogReadOptions.IncludeLifecycle"/>).
    /// </summary>
    public async IAsyncEnumerable<CfLogEntry> GetTaskLogAsync(CfTask task, LogReadOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        options ??= new LogReadOptions();
        var reader = NewReader(task.AppGuid);
        var selector = new TaskLineSelector(task, options.IncludeLifecycle, SinceNs(options));
        CfDiagnostics.Verbose($"Reading the log of task {task.SequenceId} ({task.Name}) of app {task.AppName ?? task.AppGuid} from log-cache.");
        if (options.Tail is { } tail)
        {
            var result = await ReadTailAsync(reader, selector, tail, cancellationToken).ConfigureAwait(false);
            foreach (var entry in result.Lines) yield return entry;
            yield break;
        }
        var selected = new List<CfLogEntry>();
        await foreach (var page in reader.ReadForwardAsync(selector.StartNs, selector.EndNs, cancellationToken).ConfigureAwait(false))
        {
            foreach (var entry in page) selector.Offer(entry, selected);
            foreach (var entry in selected) yield return entry;
            selected.Clear();
        }
        selector.Flush(selected);
        foreach (var entry in selected) yield return entry;
    }

    /// <summary>
    /// The task's log, then its new lines as they arrive, until the task is terminal and its final lines are in (its
    /// <c>Exit status</c> line, or <see cref="LogReadOptions.FinalLinesGrace"/> after it was seen terminal). Asks the Cloud
    /// Controller for the task's state every <see cref="LogReadOptions.TaskPollInterval"/> and reports each newer view
    /// of the task to <paramref name="onTaskUpdated"/> (the last one is the final task). Cancel to stop at once.
    /// </summary>
    public async IAsyncEnumerable<CfLogEntry> FollowTaskAsync(
        CfTask task, LogReadOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken, Action<CfTask>? onTaskUpdated = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        options ??= new LogReadOptions();
        var reader = NewReader(task.AppGuid);
        var selector = new TaskLineSelector(task, options.IncludeLifecycle, SinceNs(options));
        CfDiagnostics.Verbose($"Following the log of task {task.SequenceId} ({task.Name}) of app {task.AppName ?? task.AppGuid}.");

        var current = task;
        DateTimeOffset? terminalSince = null;
        var lastStatePoll = DateTimeOffset.MinValue;
        var follower = new FollowCursor(options.FollowOverlap, selector.StartNs);
        var selected = new List<CfLogEntry>();

        if (options.Tail is { } tail)
        {
            var result = await ReadTailAsync(reader, selector, tail, cancellationToken).ConfigureAwait(false);
            foreach (var entry in result.Lines) yield return entry;
            follower.Resume(result.Read);
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (terminalSince is null && _time.GetUtcNow() - lastStatePoll >= options.TaskPollInterval)
            {
                lastStatePoll = _time.GetUtcNow();
                current = await GetTaskAsync(current, cancellationToken).ConfigureAwait(false);
                onTaskUpdated?.Invoke(current);
                if (current.IsTerminal)
                {
                    selector.Update(current);
                    terminalSince = _time.GetUtcNow();
                    CfDiagnostics.Verbose($"Task {current.SequenceId} ({current.Name}) is {current.State}; reading its last lines.");
                }
            }

            // Read after looking at the state, so the read that follows "terminal" sees the task's final lines.
            if (follower.ReadFrom is not { } from || selector.EndNs is not { } end || from < end)
            {
                await foreach (var page in reader.ReadForwardAsync(follower.ReadFrom, selector.EndNs, cancellationToken).ConfigureAwait(false))
                {
                    foreach (var entry in page)
                        if (follower.IsNew(entry)) selector.Offer(entry, selected);
                    foreach (var entry in selected) yield return entry;
                    selected.Clear();
                }
                follower.Advance();
            }
            // Lines held back at the task's start (an earlier run of the same name?) are settled once the task has
            // finished and its window was read, or a few seconds after the start.
            if (terminalSince is not null) selector.Flush(selected);
            else selector.Settle(LogWindowReader.ToUnixNanoseconds(_time.GetUtcNow().UtcDateTime), selected);
            foreach (var entry in selected) yield return entry;
            selected.Clear();

            if (terminalSince is { } since)
            {
                if (selector.HasFinalLines) break;
                if (_time.GetUtcNow() - since >= options.FinalLinesGrace)
                {
                    CfDiagnostics.Verbose($"Task {current.SequenceId} ({current.Name}) is {current.State} and its Exit status line did not arrive within {options.FinalLinesGrace.TotalSeconds:0.#} s; the log ends here.");
                    break;
                }
            }
            await Task.Delay(options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
        selector.Flush(selected);
        foreach (var entry in selected) yield return entry;
    }

    /// <summary>
    /// The task lines of an app as far as they are in log-cache now: every <c>APP/TASK/*</c> line, or those of the tasks
    /// named <paramref name="taskName"/> (every run of that name), oldest first.
    /// </summary>
    public async IAsyncEnumerable<CfLogEntry> GetAppTaskLogAsync(
        CfApp app, string? taskName, LogReadOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        options ??= new LogReadOptions();
        var reader = NewReader(app.Guid);
        var selector = new AppTaskLineSelector(taskName, options.IncludeLifecycle,
            options.IncludeLifecycle ? await TaskNamesAsync(app, taskName, cancellationToken).ConfigureAwait(false) : EmptyNames, SinceNs(options));
        CfDiagnostics.Verbose($"Reading the task lines{(taskName is null ? "" : $" of '{taskName}'")} of app {app.Name} from log-cache.");
        if (options.Tail is { } tail)
        {
            var result = await ReadTailAsync(reader, selector, tail, cancellationToken).ConfigureAwait(false);
            foreach (var entry in result.Lines) yield return entry;
            yield break;
        }
        var selected = new List<CfLogEntry>();
        await foreach (var page in reader.ReadForwardAsync(selector.StartNs, null, cancellationToken).ConfigureAwait(false))
        {
            foreach (var entry in page) selector.Offer(entry, selected);
            foreach (var entry in selected) yield return entry;
            selected.Clear();
        }
    }

    /// <summary>
    /// An app's task lines as they arrive, like <c>cf logs</c> (until cancelled): from <see cref="LogReadOptions.Since"/>,
    /// else the last <see cref="LogReadOptions.Tail"/> lines, else from one second before the newest envelope.
    /// </summary>
    public async IAsyncEnumerable<CfLogEntry> FollowAppTaskLogAsync(
        CfApp app, string? taskName, LogReadOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        options ??= new LogReadOptions();
        var reader = NewReader(app.Guid);
        var selector = new AppTaskLineSelector(taskName, options.IncludeLifecycle,
            options.IncludeLifecycle ? await TaskNamesAsync(app, taskName, cancellationToken).ConfigureAwait(false) : EmptyNames, SinceNs(options));
        var follower = new FollowCursor(options.FollowOverlap, selector.StartNs);
        var selected = new List<CfLogEntry>();
        if (options.Tail is { } tail)
        {
            var result = await ReadTailAsync(reader, selector, tail, cancellationToken).ConfigureAwait(false);
            foreach (var entry in result.Lines) yield return entry;
            follower.Resume(result.Read);
        }
        else if (options.Since is null)
        {
            var newest = await reader.NewestTimestampAsync(cancellationToken).ConfigureAwait(false);
            follower = new FollowCursor(options.FollowOverlap, newest is { } n ? n - 1_000_000_000 : null);
        }

        var lastTaskRefresh = _time.GetUtcNow();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (options.IncludeLifecycle && _time.GetUtcNow() - lastTaskRefresh >= options.TaskPollInterval * 5)
            {
                lastTaskRefresh = _time.GetUtcNow();
                selector.UpdateTasks(await TaskNamesAsync(app, taskName, cancellationToken).ConfigureAwait(false));
            }
            await foreach (var page in reader.ReadForwardAsync(follower.ReadFrom, null, cancellationToken).ConfigureAwait(false))
            {
                foreach (var entry in page)
                    if (follower.IsNew(entry)) selector.Offer(entry, selected);
                foreach (var entry in selected) yield return entry;
                selected.Clear();
            }
            follower.Advance();
            await Task.Delay(options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyNames = new Dictionary<string, string>();

    private LogWindowReader NewReader(string appGuid)
    {
        if (_session.LogCache is null) throw LogWindowReader.NoLogCache(_session);
        return new LogWindowReader(_session, appGuid, time: _time);
    }

    private static long? SinceNs(LogReadOptions options) =>
        options.Since is { } since ? LogWindowReader.ToUnixNanoseconds(since) : null;

    /// <summary>
    /// The last <paramref name="count"/> selected lines, reading backwards from the window's end page by page until enough
    /// are found (the selection is applied oldest first over what was read, as a forward read would).
    /// </summary>
    private static async Task<TailResult> ReadTailAsync(LogWindowReader reader, LogLineSelector selector, int count, CancellationToken cancellationToken)
    {
        if (count <= 0) return new TailResult([], []);
        var candidates = new List<CfLogEntry>(); // newest first
        var read = new List<CfLogEntry>();       // every envelope read near the newest, for a follow that continues
        long? newest = null;
        var check = count;
        await foreach (var entry in reader.ReadBackwardAsync(selector.StartNs, selector.EndNs, cancellationToken).ConfigureAwait(false))
        {
            newest ??= entry.TimestampUnixNanoseconds;
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
        var target = probe ? Clone(selector) : selector;
        var result = new List<CfLogEntry>();
        for (var i = newestFirst.Count - 1; i >= 0; i--) target.Offer(newestFirst[i], result);
        target.Flush(result);
        return result;
    }

    private static LogLineSelector Clone(LogLineSelector selector) => selector switch
    {
        TaskLineSelector task => task.Fresh(),
        _ => selector, // stateless
    };

    private Task<CfTask> GetTaskAsync(CfTask task, CancellationToken cancellationToken) =>
        _session.Tasks.GetAsync(task.Guid, cancellationToken, task.AppName);

    private async Task<IReadOnlyDictionary<string, string>> TaskNamesAsync(CfApp app, string? taskName, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var tasks = _session.Paging.ReadAllAsync(
            ct => _session.CloudController.ListAppTasks(app.Guid, null, taskName is null ? null : [AppService.EscapeListValue(taskName)],
                null, null, null, null, PagedReader.MaxPerPage, ct),
            CfJsonContext.Default.PageTaskResource, cancellationToken);
        await foreach (var task in tasks.ConfigureAwait(false)) names[task.Guid.ToLowerInvariant()] = task.Name;
        return names;
    }

    private sealed record TailResult(List<CfLogEntry> Lines, List<CfLogEntry> Read);

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
