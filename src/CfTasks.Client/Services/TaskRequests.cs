namespace CfTasks.Client.Services;

/// <summary>What to start: like <c>cf run-task APP [--command] [--name] [-m] [-k] [-l] [--process]</c>.</summary>
public sealed record TaskStartRequest
{
    /// <summary>The command; when null the template process's command is used.</summary>
    public string? Command { get; init; }
    /// <summary>The task's name; Cloud Foundry makes up 8 hex characters when null.</summary>
    public string? Name { get; init; }
    /// <summary>Memory in MB; default: the template's, else the operator default.</summary>
    public int? MemoryInMb { get; init; }
    /// <summary>Disk in MB; default: the template's, else the operator default.</summary>
    public int? DiskInMb { get; init; }
    /// <summary>Log rate limit in bytes per second (-1 = unlimited).</summary>
    public long? LogRateLimitInBytesPerSecond { get; init; }
    /// <summary>
    /// The process type whose command and sizes are the template. When null and <see cref="Command"/> is null too,
    /// the app's <c>task</c> process is the template, as in the cf CLI.
    /// </summary>
    public string? Process { get; init; }
    /// <summary>
    /// The idempotency key carried as the <see cref="TaskService.RequestIdLabel"/> label (32 lower-case hex characters);
    /// generated when null. Starting twice with the same id starts at most one task.
    /// </summary>
    public string? RequestId { get; init; }
}

/// <summary>Which tasks to list; every filter except <see cref="NameMatch"/> goes to the server.</summary>
public sealed record TaskListQuery
{
    /// <summary>Exact task names (server-side <c>names=</c>).</summary>
    public IReadOnlyCollection<string>? Names { get; init; }
    /// <summary>A client-side name test (wildcards); when set, <see cref="Names"/> is not sent.</summary>
    public Func<string, bool>? NameMatch { get; init; }
    /// <summary>States (server-side <c>states=</c>).</summary>
    public IReadOnlyCollection<CfTaskState>? States { get; init; }
    /// <summary>Sequence ids (server-side <c>sequence_ids=</c>; needs an app).</summary>
    public IReadOnlyCollection<int>? SequenceIds { get; init; }
    /// <summary>Task guids (server-side <c>guids=</c>).</summary>
    public IReadOnlyCollection<string>? Guids { get; init; }
    /// <summary>At most this many tasks (Get-CfTask -First): also the page size when it is below 5000.</summary>
    public long? First { get; init; }
    /// <summary>Skip this many tasks first (Get-CfTask -Skip); whole pages are skipped with <c>page=</c>.</summary>
    public long Skip { get; init; }
    /// <summary>Called once with the first page's <c>total_results</c> and whether it is exact (it is not with <see cref="NameMatch"/>).</summary>
    public Action<long, bool>? OnTotal { get; init; }
    /// <summary>
    /// Awaited before each further page is requested: a consumer that writes items elsewhere (the cmdlets' pipeline
    /// thread) uses it to keep the listing from reading too far ahead of what was consumed (Get-CfTask: at most a page),
    /// so a consumer that stops early fetches nothing more.
    /// </summary>
    public Func<CancellationToken, Task>? BeforeNextPage { get; init; }
}

/// <summary>One task's end of a wait: its last known state, and an error when it did not finish (timeout, gone).</summary>
public sealed record TaskWaitOutcome(CfTask Task, Errors.CfException? Error);

/// <summary>How a wait is going, for a progress bar.</summary>
public sealed record TaskWaitProgress(int Total, int Finished, IReadOnlyCollection<CfTask> Pending, TimeSpan Elapsed);
