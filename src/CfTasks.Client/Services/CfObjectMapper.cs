using CfTasks.Client.Http;
using CfTasks.Client.Models;

namespace CfTasks.Client.Services;

/// <summary>The one place wire records become the objects users see.</summary>
public static class CfObjectMapper
{
    /// <summary>An app record as a <see cref="CfApp"/>.</summary>
    public static CfApp ToApp(AppResource app, CfTarget? origin) => new()
    {
        Guid = app.Guid,
        Name = app.Name,
        State = app.State,
        SpaceGuid = app.Relationships?.Space?.Data?.Guid ?? "",
        CreatedAt = Utc(app.CreatedAt),
        UpdatedAt = Utc(app.UpdatedAt),
        Origin = origin,
    };

    /// <summary>A task record as a <see cref="CfTask"/>; <paramref name="appName"/> comes from a (batched) app look-up.</summary>
    public static CfTask ToTask(TaskResource task, string? appName, CfTarget? origin) => new()
    {
        Guid = task.Guid,
        SequenceId = task.SequenceId,
        Name = task.Name,
        AppGuid = task.Relationships?.App?.Data?.Guid ?? "",
        AppName = appName,
        State = ParseState(task.State),
        Command = task.Command,
        MemoryInMb = task.MemoryInMb,
        DiskInMb = task.DiskInMb,
        LogRateLimitInBytesPerSecond = task.LogRateLimitInBytesPerSecond,
        FailureReason = task.Result?.FailureReason,
        DropletGuid = task.DropletGuid,
        CreatedAt = Utc(task.CreatedAt),
        UpdatedAt = Utc(task.UpdatedAt),
        LabelsIfAny = ToMapIfAny(task.Metadata?.Labels),
        AnnotationsIfAny = ToMapIfAny(task.Metadata?.Annotations),
        Origin = origin,
    };

    /// <summary>A LOG envelope of <paramref name="sourceId"/> as a user-facing entry; null for other envelope types.</summary>
    public static CfLogEntry? ToLogEntry(Envelope envelope, string sourceId)
    {
        if (envelope.Log is not { } log) return null;
        var sourceType = envelope.SourceType ?? "";
        return new CfLogEntry
        {
            TimestampUnixNanoseconds = envelope.Timestamp,
            Timestamp = FromUnixNanoseconds(envelope.Timestamp),
            AppGuid = !string.IsNullOrEmpty(envelope.SourceId) ? envelope.SourceId! : sourceId,
            SourceType = sourceType,
            InstanceId = !string.IsNullOrEmpty(envelope.InstanceId) ? envelope.InstanceId! : envelope.TagInstanceId ?? "",
            Stream = string.Equals(log.Type, "ERR", StringComparison.OrdinalIgnoreCase) ? "ERR" : "OUT",
            Message = log.Text,
            TaskName = sourceType.StartsWith(LogService.TaskSourcePrefix, StringComparison.Ordinal) ? sourceType.Substring(LogService.TaskSourcePrefix.Length) : null,
        };
    }

    /// <summary>Nanoseconds since the Unix epoch (log-cache's time) as an instant (in UTC, 100 ns resolution, rounded down).</summary>
    public static DateTimeOffset FromUnixNanoseconds(long ns) =>
        new(UnixEpoch.AddTicks(Math.DivRem(ns, 100, out var rest) - (rest < 0 ? 1 : 0)), TimeSpan.Zero);

    /// <summary>An instant as nanoseconds since the Unix epoch.</summary>
    public static long ToUnixNanoseconds(DateTimeOffset time) => (time.UtcDateTime - UnixEpoch).Ticks * 100;

    private static readonly DateTime UnixEpoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>CC's upper-case state text as the enum.</summary>
    public static CfTaskState ParseState(string? state) =>
        Is(state, "SUCCEEDED") ? CfTaskState.Succeeded // the common case first: listings are mostly finished tasks
        : Is(state, "FAILED") ? CfTaskState.Failed
        : Is(state, "RUNNING") ? CfTaskState.Running
        : Is(state, "PENDING") ? CfTaskState.Pending
        : Is(state, "CANCELING") ? CfTaskState.Canceling
        : throw CfApiErrors.NotCloudFoundry(null, $"unknown task state '{state}'");

    private static bool Is(string? state, string wire) => string.Equals(state, wire, StringComparison.OrdinalIgnoreCase);

    /// <summary>The enum as CC's filter text.</summary>
    public static string ToWire(CfTaskState state) => state.ToString().ToUpperInvariant();

    /// <summary>The pairs as a user-facing map; null when there are none (the object then makes an empty one on demand).</summary>
    private static CfMetadataMap? ToMapIfAny(Dictionary<string, string?>? values)
    {
        if (values is not { Count: > 0 }) return null;
        var map = new CfMetadataMap();
        foreach (var (key, value) in values) map[key] = value ?? "";
        return map;
    }

    /// <summary>A wire time (CC sends UTC with a Z) as an instant in UTC; a time without a zone is taken as UTC, as CC means it.</summary>
    private static DateTimeOffset Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => new DateTimeOffset(value, TimeSpan.Zero),
        DateTimeKind.Local => new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero),
        _ => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc), TimeSpan.Zero),
    };
}
