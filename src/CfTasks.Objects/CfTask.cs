namespace CfTasks;

/// <summary>A Cloud Foundry task as CfTasks shows it: flat, PascalCase; times are instants (DateTimeOffset, in UTC).</summary>
public sealed class CfTask
{
    /// <summary>The task's guid.</summary>
    public string Guid { get; init; } = "";
    /// <summary>The per-app task number that <c>cf tasks</c> shows as <c>id</c>.</summary>
    public int SequenceId { get; init; }
    /// <summary>The task's name (not unique).</summary>
    public string Name { get; init; } = "";
    /// <summary>The name of the app the task runs next to.</summary>
    public string? AppName { get; init; }
    /// <summary>The guid of the app the task runs next to.</summary>
    public string AppGuid { get; init; } = "";
    /// <summary>The name of the space the task's app is in.</summary>
    public string? SpaceName { get; init; }
    /// <summary>The name of the organization that space is in.</summary>
    public string? OrganizationName { get; init; }
    /// <summary>The task's state.</summary>
    public CfTaskState State { get; init; }
    /// <summary>The command, or null when Cloud Foundry hides it from the caller (shown as [hidden]).</summary>
    public string? Command { get; init; }
    /// <summary>Memory limit in MB.</summary>
    public int? MemoryInMb { get; init; }
    /// <summary>Disk limit in MB.</summary>
    public int? DiskInMb { get; init; }
    /// <summary>Log rate limit in bytes per second; -1 means unlimited.</summary>
    public long? LogRateLimitInBytesPerSecond { get; init; }
    /// <summary>Why the task failed, as Cloud Foundry reports it; null unless Failed.</summary>
    public string? FailureReason { get; init; }
    /// <summary>
    /// The command's exit status: 0 for a succeeded task, N for a failed one whose failure reason is Diego's
    /// <c>Exited with status N</c>; null while it runs, when it was cancelled, or when it failed for another reason.
    /// </summary>
    public int? ExitCode { get; init; }
    /// <summary>How long a finished task took, from its creation to its last update (whole seconds); null until it has finished.</summary>
    public TimeSpan? Duration { get; init; }
    /// <summary>The droplet the task runs.</summary>
    public string? DropletGuid { get; init; }
    /// <summary>The OS user the command runs as (<c>vcap</c> for buildpack apps); null where Cloud Controller does not say (before mid-2025).</summary>
    public string? User { get; init; }
    /// <summary>When the task was created: an instant, compared correctly with <c>Get-Date</c> values in any time zone.</summary>
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the task last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>The task's labels.</summary>
    public CfMetadataMap Labels { get => _labels ??= new(); init => _labels = value; }
    /// <summary>The task's annotations.</summary>
    public CfMetadataMap Annotations { get => _annotations ??= new(); init => _annotations = value; }

    // Most tasks have no annotations and many no labels: an empty map is made when first asked for, not for each of
    // the 100,000 tasks a listing may stream past.
    private CfMetadataMap? _labels;
    private CfMetadataMap? _annotations;

    /// <summary>The labels as read, or null for none (the mapper sets it; <see cref="Labels"/> is never null).</summary>
    internal CfMetadataMap? LabelsIfAny { init => _labels = value; }
    /// <summary>The annotations as read, or null for none.</summary>
    internal CfMetadataMap? AnnotationsIfAny { init => _annotations = value; }

    /// <summary>The connection this task was read through; lets piped tasks go back to the same foundation.</summary>
    internal CfTarget? Origin { get; set; }

    /// <summary>True when the task is Succeeded or Failed.</summary>
    public bool IsTerminal => State.IsTerminal();

    /// <inheritdoc />
    public override string ToString() => $"{AppName ?? AppGuid} task {SequenceId} ({Name}) {State}";
}
