using CfTasks.Client.Errors;

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
    /// The droplet to run the task on (<c>droplet_guid</c>; one of the app's droplets); null: the app's current droplet.
    /// </summary>
    public string? DropletGuid { get; init; }
    /// <summary>The OS user to run the command as (<c>user</c>: <c>vcap</c>, or one the operator allows); null: the template's.</summary>
    public string? User { get; init; }
    /// <summary>Labels for the task (Cloud Foundry's rules for keys and values apply; checked before the start is sent).</summary>
    public IReadOnlyDictionary<string, string?>? Labels { get; init; }
    /// <summary>Annotations for the task.</summary>
    public IReadOnlyDictionary<string, string?>? Annotations { get; init; }
    /// <summary>
    /// The idempotency key carried as the <see cref="TaskStarter.RequestIdLabel"/> label (32 lower-case hex characters);
    /// generated when null. Starting twice with the same id starts at most one task.
    /// </summary>
    public string? RequestId { get; init; }
}

/// <summary>
/// Which tasks to list: where (<see cref="Apps"/>, else <see cref="Scope"/>), which (every filter except
/// <see cref="NameMatch"/> goes to the server) and how many (<see cref="First"/>, <see cref="Skip"/>, across all apps).
/// </summary>
public sealed record TaskListQuery
{
    /// <summary>The apps whose tasks to list, in this order; null for every task of <see cref="Scope"/>.</summary>
    public IReadOnlyList<CfApp>? Apps { get; init; }
    /// <summary>Where to list without apps: the targeted space when null (see <see cref="TaskScope"/>).</summary>
    public TaskScope? Scope { get; init; }
    /// <summary>Exact task names (server-side <c>names=</c>).</summary>
    public IReadOnlyCollection<string>? Names { get; init; }
    /// <summary>A client-side name test (wildcards); when set, <see cref="Names"/> is not sent.</summary>
    public Func<string, bool>? NameMatch { get; init; }
    /// <summary>States (server-side <c>states=</c>).</summary>
    public IReadOnlyCollection<CfTaskState>? States { get; init; }
    /// <summary>Sequence ids (server-side <c>sequence_ids=</c>; needs apps).</summary>
    public IReadOnlyCollection<int>? SequenceIds { get; init; }
    /// <summary>
    /// Task guids (server-side <c>guids=</c>). Without apps, each task is fetched by its guid (with its command, for
    /// developers), wherever it is, and a guid that finds nothing is a <see cref="TaskList.Failures"/> entry.
    /// </summary>
    public IReadOnlyCollection<string>? Guids { get; init; }
    /// <summary>
    /// A label selector in Cloud Foundry's syntax (<c>build=4711</c>, <c>env in (prod,stage)</c>, <c>!temp</c>), applied by
    /// the server (<c>label_selector=</c>); one it rejects is an InvalidLabelSelector error carrying its words.
    /// </summary>
    public string? LabelSelector { get; init; }
    /// <summary>
    /// Only tasks created after this instant. Cloud Foundry compares whole seconds in UTC: the server is asked for
    /// <c>created_ats[gt]</c> = this instant rounded down to its second, which keeps every task whose (whole-second)
    /// creation time is later, and the exact bound is checked here.
    /// </summary>
    public DateTimeOffset? CreatedAfter { get; init; }
    /// <summary>Only tasks created before this instant (<c>created_ats[lt]</c> = rounded up to the next whole second; exact here).</summary>
    public DateTimeOffset? CreatedBefore { get; init; }
    /// <summary>At most this many tasks in all: also the page size when it is below 5000.</summary>
    public long? First { get; init; }
    /// <summary>Skip this many tasks first; for one source whole pages are skipped on the server with <c>page=</c>.</summary>
    public long Skip { get; init; }
}

/// <summary>
/// Where a listing without apps looks: the targeted space (<see cref="TargetedSpace"/>), another space by name
/// (<see cref="Space"/>, in the targeted organization unless one is named), every space of an organization
/// (<see cref="Organization"/>), or every space the user can see (<see cref="AllSpaces"/>). Names are looked up when
/// the listing starts; one that does not exist is a SpaceNotFound or OrganizationNotFound error naming it.
/// </summary>
public sealed class TaskScope
{
    private TaskScope(string? spaceName, string? organizationName, bool allSpaces)
    {
        SpaceName = spaceName;
        OrganizationName = organizationName;
        IsAllSpaces = allSpaces;
    }

    /// <summary>The targeted space.</summary>
    public static TaskScope TargetedSpace { get; } = new(null, null, false);

    /// <summary>Every space the user can see on the foundation.</summary>
    public static TaskScope AllSpaces { get; } = new(null, null, true);

    /// <summary>The space of that name, in the organization of that name (the targeted one when null).</summary>
    public static TaskScope Space(string name, string? organization = null) =>
        new(name ?? throw new ArgumentNullException(nameof(name)), organization, false);

    /// <summary>Every space of the organization of that name.</summary>
    public static TaskScope Organization(string name) => new(null, name ?? throw new ArgumentNullException(nameof(name)), false);

    /// <summary>The space's name, when one space is meant.</summary>
    public string? SpaceName { get; }

    /// <summary>The organization's name, when one is named.</summary>
    public string? OrganizationName { get; }

    /// <summary>True for every space the user can see.</summary>
    public bool IsAllSpaces { get; }

    /// <summary>True for the targeted space.</summary>
    public bool IsTargetedSpace => SpaceName is null && OrganizationName is null && !IsAllSpaces;
}

/// <summary>One task's end of a wait: its last known state, and an error when it did not finish (timeout, gone).</summary>
public sealed record TaskWaitOutcome(CfTask Task, CfException? Error);

/// <summary>How a wait is going.</summary>
public sealed record TaskWaitProgress(int Total, int Finished, IReadOnlyCollection<CfTask> Pending, TimeSpan Elapsed);

/// <summary>
/// One step of a wait: a task that finished or was given up on (<see cref="Outcome"/>), or, after each round of polls,
/// just where the wait stands (<see cref="Outcome"/> null). <see cref="Progress"/> is current in both.
/// </summary>
public sealed record TaskWaitUpdate(TaskWaitProgress Progress, TaskWaitOutcome? Outcome = null);
