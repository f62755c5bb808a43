namespace CfTasks;

/// <summary>One line of a task's (or app's) log, read from log-cache. A record, so a redacted or re-attributed copy is
/// <c>entry with { Message = ... }</c>.</summary>
public sealed record CfLogEntry
{
    /// <summary>The envelope time: an instant (in UTC, 100 ns resolution).</summary>
    public DateTimeOffset Timestamp { get; init; }
    /// <summary>The envelope time exactly as log-cache has it: nanoseconds since the Unix epoch.</summary>
    public long TimestampUnixNanoseconds { get; init; }
    /// <summary>The app the line belongs to (log-cache source id).</summary>
    public string AppGuid { get; init; } = "";
    /// <summary>The source type, e.g. <c>APP/TASK/migrate</c> or <c>CELL</c>.</summary>
    public string SourceType { get; init; } = "";
    /// <summary>The instance index, <c>0</c> for tasks.</summary>
    public string InstanceId { get; init; } = "";
    /// <summary><c>OUT</c> or <c>ERR</c>.</summary>
    public string Stream { get; init; } = "OUT";
    /// <summary>The line's text (UTF-8, trailing newline trimmed).</summary>
    public string Message { get; init; } = "";
    /// <summary>The task the line belongs to, when known.</summary>
    public string? TaskName { get; init; }

    /// <summary>The line as the cf CLI prints it (without its three leading spaces), one string per text line.</summary>
    public IEnumerable<string> ToCfCliLines() => CfLogLineFormat.Format(this);

    /// <inheritdoc />
    public override string ToString() => string.Join(Environment.NewLine, ToCfCliLines());
}
