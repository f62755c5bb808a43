using System.Management.Automation;
using System.Runtime.CompilerServices;
using CfTasks.Client;
using CfTasks.Output;

namespace CfTasks.Runtime;

/// <summary>
/// The base of every CfTasks cmdlet. Owns the CancellationTokenSource that StopProcessing (Ctrl+C) cancels, runs async
/// work off the pipeline thread and hands its output, errors, progress and diagnostics to the pipeline thread in order
/// (WriteObject is never called from another thread). Streams go through one bounded buffer (<see cref="WriteAllAsync"/>),
/// so a slow consumer slows the producer and one that stops early stops it. Which connection a command acts on is
/// <see cref="CfTargetedCmdlet"/>'s business.
/// </summary>
public abstract class CfCmdlet : PSCmdlet, IDisposable
{
    /// <summary>
    /// How many streamed objects may wait for the pipeline. A page of tasks is 5000, so the next page is fetched while
    /// the pipeline works through the last thousand of this one, and never two pages ahead.
    /// </summary>
    internal const int StreamBuffer = 1000;

    /// <summary>
    /// How many streamed objects are handed to the pipeline thread together when they are ready together (the rest of a
    /// chunk of a page): one hand-off per batch instead of one per object. Objects that arrive one by one (a followed
    /// log) are handed over as they come.
    /// </summary>
    internal const int StreamBatch = 100;

    private readonly CancellationTokenSource _stopping = new();
    private readonly PipelineQueue<Entry> _pipelineQueue;
    private readonly SemaphoreSlim _roomFreed = new(0);
    private int _room = StreamBuffer / StreamBatch; // batches that may still be queued; below zero, producers wait for _roomFreed
    private readonly List<Task> _running = [];
    private Sink? _sink;

    /// <summary>What waits for the pipeline thread: an action, an object to write, or (Streamed) a batch of streamed objects with their writer, if any.</summary>
    private readonly record struct Entry(Action? Action, object? Item, Action<object?>? Write, bool Streamed);

    /// <summary>Sets up the hand-off to the pipeline thread.</summary>
    protected CfCmdlet() => _pipelineQueue = new PipelineQueue<Entry>(_stopping.Token);

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken StopToken => _stopping.Token;

    /// <inheritdoc />
    protected override void StopProcessing() => _stopping.Cancel();

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        Drain(0);
        base.EndProcessing();
    }

    /// <summary>Runs <paramref name="work"/> to completion, pumping its output onto the pipeline. Errors are terminating.</summary>
    protected void Run(Func<CancellationToken, Task> work)
    {
        Start(work);
        Drain(0);
    }

    /// <summary>
    /// Starts <paramref name="work"/> alongside earlier work and returns once fewer than <paramref name="limit"/> items
    /// are in flight (so pipeline input is processed concurrently). Its failures become non-terminating errors
    /// (<paramref name="errorTarget"/> names the item). EndProcessing waits for the rest.
    /// </summary>
    protected void StartConcurrent(Func<CancellationToken, Task> work, int limit, object? errorTarget)
    {
        Start(async ct =>
        {
            try
            {
                await work(ct).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                PostError(error, errorTarget);
            }
        });
        Drain(limit - 1);
    }

    /// <summary>Queues an action to run on the pipeline thread (WriteError, WriteProgress, WriteInformation ...).</summary>
    protected internal void Post(Action action) => _pipelineQueue.Add(new Entry(action, null, null, Streamed: false));

    /// <summary>Writes one object from async work (for a few results; streams use <see cref="WriteAllAsync"/>).</summary>
    protected void PostObject(object? value) => _pipelineQueue.Add(new Entry(null, value, null, Streamed: false));

    /// <summary>Writes a non-terminating error from async work.</summary>
    protected internal void PostError(Exception error, object? target) => Post(() => WriteError(ErrorCatalog.From(error, target)));

    /// <summary>
    /// Writes <paramref name="items"/> to the pipeline as they arrive, in order with everything else this command posts.
    /// At most <see cref="StreamBuffer"/> of them wait to be written: the producer waits for room, so a listing reads its
    /// next page while the pipeline writes this one, never further ahead, and <c>Select-Object -First 1</c> ends it after
    /// one request. Items that are ready together go over in batches of up to <see cref="StreamBatch"/>; an item the source
    /// has to wait for is preceded by the hand-over of everything before it, so nothing ready is held back.
    /// <paramref name="write"/> (on the pipeline thread) replaces WriteObject for each item; <paramref name="progress"/>
    /// is asked every <paramref name="progressEvery"/> items for a progress record.
    /// </summary>
    protected internal async Task WriteAllAsync<T>(
        IAsyncEnumerable<T> items, CancellationToken cancellationToken, Action<T>? write = null,
        Func<long, ProgressRecord?>? progress = null, int progressEvery = StreamBuffer)
    {
        Action<object?>? writer = write is null ? null : item => write((T)item!);
        long count = 0;
        ProgressRecord? shown = null;
        var batch = new List<object?>(StreamBatch);
        var source = items.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                var next = source.MoveNextAsync();
                if (!next.IsCompleted && batch.Count > 0) batch = await HandOverAsync(batch, writer).ConfigureAwait(false);
                if (!await next.ConfigureAwait(false)) break;
                batch.Add(source.Current);
                if (progress is not null && ++count % progressEvery == 0 && progress(count) is { } record)
                {
                    batch = await HandOverAsync(batch, writer).ConfigureAwait(false);
                    shown = record;
                    Post(() => ProgressPolicy.Write(this, record));
                }
                else if (batch.Count == StreamBatch)
                {
                    batch = await HandOverAsync(batch, writer).ConfigureAwait(false);
                }
            }
            if (batch.Count > 0) await HandOverAsync(batch, writer).ConfigureAwait(false);
        }
        finally
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }
        if (shown is not null)
            Post(() => ProgressPolicy.Write(this, new ProgressRecord(shown.ActivityId, shown.Activity, "done") { RecordType = ProgressRecordType.Completed }));
    }

    /// <summary>
    /// Queues <paramref name="batch"/> for the pipeline once there is room; returns a fresh batch to fill. Room is a
    /// counter: the semaphore (and its lock) is touched only when the buffer is full. The wait ends with the command
    /// (StopToken), not with the stream's own token: the pipeline thread frees room as long as the command runs.
    /// </summary>
    private async Task<List<object?>> HandOverAsync(List<object?> batch, Action<object?>? writer)
    {
        if (Interlocked.Decrement(ref _room) < 0) await _roomFreed.WaitAsync(_stopping.Token).ConfigureAwait(false);
        _pipelineQueue.Add(new Entry(null, batch, writer, Streamed: true));
        return new List<object?>(StreamBatch);
    }

    private void Start(Func<CancellationToken, Task> work)
    {
        _sink ??= new Sink(this, IsDebugWanted());
        var sink = _sink;
        var task = Task.Run(async () =>
        {
            using (CfDiagnostics.Use(sink))
            {
                await work(_stopping.Token).ConfigureAwait(false);
            }
        });
        _running.Add(task);
        _ = task.ContinueWith(_ => Post(static () => { }), TaskScheduler.Default); // wake the pump
    }

#if NET // tiered compilation does not exist on .NET Framework
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    private void Dispatch(Entry entry)
    {
        if (entry.Action is { } action)
        {
            action();
            return;
        }
        if (!entry.Streamed)
        {
            if (entry.Write is { } write) write(entry.Item);
            else WriteObject(entry.Item);
            return;
        }
        try
        {
            var batch = (List<object?>)entry.Item!;
            if (entry.Write is { } write)
                foreach (var item in batch) write(item);
            else
                foreach (var item in batch) WriteObject(item);
        }
        finally
        {
            if (Interlocked.Increment(ref _room) <= 0) _roomFreed.Release(); // a producer waits for this room
        }
    }

    /// <summary>Pumps queued pipeline work until at most <paramref name="remaining"/> tasks are still running.</summary>
    private void Drain(int remaining)
    {
        try
        {
            DrainCore(remaining);
        }
        catch
        {
            // Whatever ends this command early (Select-Object -First stopping upstream commands, a terminating error,
            // Ctrl+C) also ends the work still running in the background: no request outlives the command.
            _stopping.Cancel();
            throw;
        }
    }

    private void DrainCore(int remaining)
    {
        while (true)
        {
            while (_pipelineQueue.TryTake(out var pending)) Dispatch(pending);
            for (var i = _running.Count - 1; i >= 0; i--)
            {
                if (!_running[i].IsCompleted) continue;
                var finished = _running[i];
                _running.RemoveAt(i);
                if (finished.IsFaulted || finished.IsCanceled) Fail(finished);
            }
            if (_running.Count <= remaining) return;
            try
            {
                Dispatch(_pipelineQueue.Take());
            }
            catch (OperationCanceledException)
            {
                WaitBriefly();
                throw new PipelineStoppedException();
            }
        }
    }

    private void Fail(Task finished)
    {
        while (_pipelineQueue.TryTake(out var pending)) Dispatch(pending);
        var error = finished.Exception?.GetBaseException() ?? new OperationCanceledException();
        if (error is OperationCanceledException && _stopping.IsCancellationRequested) throw new PipelineStoppedException();
        ThrowTerminatingError(ErrorCatalog.From(error));
    }

    /// <summary>After Ctrl+C, gives in-flight work a moment to observe cancellation (bounded: Ctrl+C returns within a second).</summary>
    private void WaitBriefly()
    {
        try
        {
            Task.WaitAll([.. _running], TimeSpan.FromMilliseconds(500));
        }
        catch (AggregateException)
        {
            // cancelled work faults; nothing to report while stopping
        }
    }

    /// <summary>PowerShell disposes a cmdlet when its pipeline ends, however it ends: cancel what is still running.</summary>
    public void Dispose()
    {
        // Not disposed: work still unwinding may read the token; cancelling is what matters.
        _stopping.Cancel();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Whether WriteDebug will show anything: -Debug, or the caller's $DebugPreference. The caller's preference is the
    /// one the command runtime resolved for this invocation (a binary module's GetVariableValue sees only the module's
    /// and global scopes, not the caller's function or script block); read it from there when it is available.
    /// </summary>
    private bool IsDebugWanted()
    {
        if (MyInvocation.BoundParameters.TryGetValue("Debug", out var debug)) return debug is SwitchParameter { IsPresent: true };
        var preference = RuntimeDebugPreference() ?? GetVariableValue("DebugPreference") as ActionPreference?;
        return preference is { } value && value != ActionPreference.SilentlyContinue && value != ActionPreference.Ignore;
    }

    private ActionPreference? RuntimeDebugPreference()
    {
        try
        {
            var property = CommandRuntime?.GetType().GetProperty("DebugPreference",
                System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public);
            return property?.GetValue(CommandRuntime) as ActionPreference?;
        }
        catch (Exception error) when (error is System.Reflection.TargetInvocationException or MemberAccessException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Routes the client's diagnostics to this cmdlet's streams, via the pipeline thread.</summary>
    private sealed class Sink(CfCmdlet cmdlet, bool debug) : ICfDiagnosticsSink
    {
        public bool IsDebugEnabled => debug;
        public void Verbose(string message) => cmdlet.Post(() => cmdlet.WriteVerbose(message));
        public void Debug(string message) => cmdlet.Post(() => cmdlet.WriteDebug(message));
    }
}
