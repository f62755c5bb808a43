using System.Collections.Concurrent;
using System.Management.Automation;
using CfTasks.Client;
using CfTasks.Client.Errors;
using CfTasks.Client.Http;
using CfTasks.Output;

namespace CfTasks.Runtime;

/// <summary>
/// The base of every CfTasks cmdlet. Owns the CancellationTokenSource that StopProcessing (Ctrl+C) cancels, runs async
/// work off the pipeline thread and marshals its output, errors, progress and diagnostics back to the pipeline thread
/// (WriteObject is never called from another thread), and resolves which connection a command acts on (see <see cref="CfTargetedCmdlet"/>).
/// </summary>
public abstract class CfCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly BlockingCollection<Action> _pipelineQueue = new();
    private readonly List<Task> _running = [];
    private Sink? _sink;

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
        Start(work, terminatingErrors: true);
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
                var record = ErrorRecordFactory.From(error, errorTarget);
                Post(() => WriteError(record));
            }
        }, terminatingErrors: true);
        Drain(limit - 1);
    }

    /// <summary>Queues an action to run on the pipeline thread (WriteObject, WriteError, WriteProgress ...).</summary>
    protected void Post(Action action) => _pipelineQueue.Add(action);

    /// <summary>Writes an object from async work.</summary>
    protected void PostObject(object? value) => Post(() => WriteObject(value));

    /// <summary>
    /// Writes a batch of objects from async work with one trip to the pipeline thread (long listings post a batch per
    /// page or per thousand objects instead of one closure and queue round trip per object).
    /// </summary>
    protected void PostObjects(IReadOnlyList<object> batch)
    {
        if (batch.Count == 0) return;
        Post(() =>
        {
            foreach (var item in batch) WriteObject(item);
        });
    }

    /// <summary>Writes a non-terminating error from async work.</summary>
    protected void PostError(Exception error, object? target) => Post(() => WriteError(ErrorRecordFactory.From(error, target)));

    private void Start(Func<CancellationToken, Task> work, bool terminatingErrors)
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
        _ = task.ContinueWith(_ => _pipelineQueue.Add(static () => { }), TaskScheduler.Default); // wake the pump
    }

    /// <summary>Pumps queued pipeline actions until at most <paramref name="remaining"/> tasks are still running.</summary>
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
            while (_pipelineQueue.TryTake(out var pending)) pending();
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
                if (_pipelineQueue.TryTake(out var next, Timeout.Infinite, _stopping.Token)) next();
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
        while (_pipelineQueue.TryTake(out var pending)) pending();
        var error = finished.Exception?.GetBaseException() ?? new OperationCanceledException();
        if (error is OperationCanceledException && _stopping.IsCancellationRequested) throw new PipelineStoppedException();
        ThrowTerminatingError(ErrorRecordFactory.From(error));
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
        public void Warning(string message) => cmdlet.Post(() => cmdlet.WriteWarning(message));
    }
}
