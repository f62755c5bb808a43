using System.Runtime.CompilerServices;
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
    public static CfTask ToTask(TaskResource task, string? appName, CfTarget? origin) =>
        ToTask(task, new AppPlacement(appName, null, null), origin);

    /// <summary>
    /// A task record as a <see cref="CfTask"/>; <paramref name="place"/> (its app's, space's and organization's names)
    /// comes from what the caller knew or a batched look-up.
    /// </summary>
#if NET // tiered compilation does not exist on .NET Framework
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public static CfTask ToTask(TaskResource task, AppPlacement? place, CfTarget? origin)
    {
        var state = ParseState(task.State);
        var failureReason = task.Result?.FailureReason;
        var createdAt = Utc(task.CreatedAt);
        var updatedAt = Utc(task.UpdatedAt);
        return new CfTask
        {
            Guid = task.Guid,
            SequenceId = task.SequenceId,
            Name = task.Name,
            AppGuid = task.Relationships?.App?.Data?.Guid ?? "",
            AppName = place?.AppName,
            SpaceName = place?.SpaceName,
            OrganizationName = place?.OrganizationName,
            State = state,
            Command = task.Command,
            MemoryInMb = task.MemoryInMb,
            DiskInMb = task.DiskInMb,
            LogRateLimitInBytesPerSecond = task.LogRateLimitInBytesPerSecond,
            FailureReason = failureReason,
            ExitCode = ExitCodeOf(state, failureReason),
            Duration = state.IsTerminal() ? updatedAt - createdAt : null,
            DropletGuid = task.DropletGuid,
            User = task.User,
            CreatedAt = createdAt,
            UpdatedAt = updatedAt,
            LabelsIfAny = ToMapIfAny(task.Metadata?.Labels),
            AnnotationsIfAny = ToMapIfAny(task.Metadata?.Annotations),
            Origin = origin,
        };
    }

    /// <summary>
    /// The exit status a task's end tells: 0 when it succeeded; N when it failed and its reason is one of Diego's two
    /// forms, <c>Exited with status N</c> or <c>Exited with status N (out of memory)</c>, with or without the
    /// <c>APP/TASK/&lt;name&gt;: </c> prefix; null for anything else (running, cancelled, placement or staging failures).
    /// </summary>
    public static int? ExitCodeOf(CfTaskState state, string? failureReason)
    {
        if (state == CfTaskState.Succeeded) return 0;
        if (state != CfTaskState.Failed || failureReason is null) return null;
        var match = ExitedWithStatus.Match(failureReason);
        return match.Success && int.TryParse(match.Groups["status"].Value, System.Globalization.NumberStyles.AllowLeadingSign,
            System.Globalization.CultureInfo.InvariantCulture, out var status) ? status : null;
    }

    private static readonly System.Text.RegularExpressions.Regex ExitedWithStatus = new(
        @"\A(APP/TASK/.+: )?Exited with status (?<status>-?[0-9]+)( \(out of memory\))?\z",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.Singleline);

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

    /// <summary>
    /// An instant as Cloud Controller's timestamp filter text (<c>YYYY-MM-DDThh:mm:ssZ</c>: UTC, whole seconds), rounded
    /// down to its second, or up to the next whole second with <paramref name="roundUp"/> (an instant already on a whole
    /// second stays). Null when rounding up leaves the range of dates.
    /// </summary>
    public static string? ToWireTimestamp(DateTimeOffset time, bool roundUp)
    {
        var utc = time.UtcDateTime;
        var second = new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        if (roundUp && second != utc)
        {
            if (second >= DateTime.MaxValue.AddSeconds(-1)) return null;
            second = second.AddSeconds(1);
        }
        return second.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
    }

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

    /// <summary>A wire time as the instant users see (see <see cref="Utc"/>).</summary>
    public static DateTimeOffset ToInstant(DateTime value) => Utc(value);

    /// <summary>A wire time (CC sends UTC with a Z) as an instant in UTC; a time without a zone is taken as UTC, as CC means it.</summary>
    private static DateTimeOffset Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => new DateTimeOffset(value, TimeSpan.Zero),
        DateTimeKind.Local => new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero),
        _ => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc), TimeSpan.Zero),
    };
}
