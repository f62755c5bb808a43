namespace CfTasks.Client;

/// <summary>Where the client tells its story: the cmdlets route these to PowerShell's verbose and debug streams.</summary>
public interface ICfDiagnosticsSink
{
    /// <summary>Whether debug (HTTP trace) messages are wanted; the tracer does no work otherwise.</summary>
    bool IsDebugEnabled { get; }
    /// <summary>One line of the run's story, e.g. <c>GET /v3/apps 200 (35 ms)</c>.</summary>
    void Verbose(string message);
    /// <summary>An HTTP trace, already redacted.</summary>
    void Debug(string message);
}

/// <summary>The sink of the current logical operation (flows with async calls).</summary>
public static class CfDiagnostics
{
    private static readonly AsyncLocal<ICfDiagnosticsSink?> CurrentSink = new();

    /// <summary>The sink in effect, or null.</summary>
    public static ICfDiagnosticsSink? Current => CurrentSink.Value;

    /// <summary>Routes diagnostics of the calling flow to <paramref name="sink"/> until disposed.</summary>
    public static IDisposable Use(ICfDiagnosticsSink? sink)
    {
        var previous = CurrentSink.Value;
        CurrentSink.Value = sink;
        return new Restore(previous);
    }

    internal static void Verbose(string message) => CurrentSink.Value?.Verbose(message);
    internal static bool IsDebugEnabled => CurrentSink.Value?.IsDebugEnabled == true;
    internal static void Debug(string message) => CurrentSink.Value?.Debug(message);

    private sealed class Restore(ICfDiagnosticsSink? previous) : IDisposable
    {
        public void Dispose() => CurrentSink.Value = previous;
    }
}
