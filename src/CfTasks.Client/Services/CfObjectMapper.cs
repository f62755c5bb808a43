using CfTasks.Client.Models;

namespace CfTasks.Client.Services;

/// <summary>The one place wire records become the objects users see.</summary>
public static class CfObjectMapper
{
    /// <summary>An app record as a <see cref="CfApp"/>.</summary>
    public static CfApp ToApp(AppResource app, object? origin) => new()
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
    public static CfTask ToTask(TaskResource task, string? appName, object? origin) => new()
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

    /// <summary>CC's upper-case state text as the enum.</summary>
    public static CfTaskState ParseState(string? state) =>
        Is(state, "SUCCEEDED") ? CfTaskState.Succeeded // the common case first: listings are mostly finished tasks
        : Is(state, "FAILED") ? CfTaskState.Failed
        : Is(state, "RUNNING") ? CfTaskState.Running
        : Is(state, "PENDING") ? CfTaskState.Pending
        : Is(state, "CANCELING") ? CfTaskState.Canceling
        : throw Errors.CfApiErrors.NotCloudFoundry(null, $"unknown task state '{state}'");

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

    private static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}
