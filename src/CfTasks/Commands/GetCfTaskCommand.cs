using System.Management.Automation;
using CfTasks.Client;
using CfTasks.Client.Services;
using CfTasks.Completion;
using CfTasks.Runtime;
using CfTasks.Transforms;

namespace CfTasks.Commands;

/// <summary>Gets tasks, like <c>cf tasks APP</c>, as CfTask objects (help: docs/cmdlets/Get-CfTask.md).</summary>
[Cmdlet(VerbsCommon.Get, "CfTask", DefaultParameterSetName = SpaceSet, SupportsPaging = true)]
[OutputType(typeof(CfTask))]
public sealed class GetCfTaskCommand : CfTargetedCmdlet
{
    private const string SpaceSet = "AppName";
    private const string AppSet = "App";
    private const string ScopeSet = "Scope";
    private const string AllSpacesSet = "AllSpaces";
    private const string TaskSet = "Task";

    /// <summary>Names of the apps whose tasks to get; wildcards allowed. Without it: every task in the targeted space.</summary>
    [Parameter(Position = 0, ParameterSetName = SpaceSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AppNameCompleter))]
    [SupportsWildcards]
    [ValidateCfName]
    public string[]? AppName { get; set; }

    /// <summary>Apps (from Get-CfApp) whose tasks to get.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AppSet, ValueFromPipeline = true)]
    [Alias("InputObject")]
    [ValidateNotNull]
    public CfApp[]? App { get; set; }

    /// <summary>Tasks (from Get-CfTask, Start-CfTask, Wait-CfTask) to get again as they are now.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TaskSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public CfTask[]? Task { get; set; }

    /// <summary>Task names; wildcards allowed.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(TaskNameCompleter))]
    [SupportsWildcards]
    [ValidateCfName]
    public string[]? Name { get; set; }

    /// <summary>Only tasks in these states.</summary>
    [Parameter]
    public CfTaskState[]? State { get; set; }

    /// <summary>Tasks with these sequence ids (the id cf tasks shows); needs an app.</summary>
    [Parameter]
    [Alias("Id")]
    [ValidateRange(1, int.MaxValue)]
    public int[]? SequenceId { get; set; }

    /// <summary>Tasks with these guids.</summary>
    [Parameter]
    [ValidateCfGuid]
    public string[]? Guid { get; set; }

    /// <summary>Only tasks whose labels match this selector (Cloud Foundry's syntax: build=4711, env in (prod,stage), !temp).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LabelSelector { get; set; }

    /// <summary>Only tasks created after this time (a Get-Date value, or text: local time unless it names a zone).</summary>
    [Parameter]
    [TimeTransformation]
    public DateTimeOffset CreatedAfter { get; set; }

    /// <summary>Only tasks created before this time.</summary>
    [Parameter]
    [TimeTransformation]
    public DateTimeOffset CreatedBefore { get; set; }

    /// <summary>List this space (of -Organization, else of the targeted organization) instead of the targeted one.</summary>
    [Parameter(ParameterSetName = ScopeSet)]
    [ArgumentCompleter(typeof(SpaceNameCompleter))]
    [ValidateCfName]
    public string? Space { get; set; }

    /// <summary>With -Space, the organization it is in; alone, list every space of this organization.</summary>
    [Parameter(ParameterSetName = ScopeSet)]
    [ArgumentCompleter(typeof(OrganizationNameCompleter))]
    [ValidateCfName]
    public string? Organization { get; set; }

    /// <summary>List every task you can see on the foundation, in every organization and space.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSpacesSet)]
    public SwitchParameter AllSpaces { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (Bound(nameof(CreatedAfter), CreatedAfter) is { } after && Bound(nameof(CreatedBefore), CreatedBefore) is { } before && after > before)
            ThrowTerminatingError(Output.ErrorCatalog.From(Client.Errors.CfErrors.InvalidTimeRange(after, before)));
        base.BeginProcessing();
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (Task is { Length: > 0 } piped)
        {
            foreach (var group in piped.GroupBy(t => t.Origin))
            {
                var session = ResolveSession(group.Key);
                var guids = group.Select(t => t.Guid).ToList();
                Run(ct => ListAsync(session, null, ct, guids));
            }
            return;
        }
        if (App is { Length: > 0 } apps)
        {
            foreach (var group in apps.GroupBy(a => a.Origin))
            {
                var session = ResolveSession(group.Key);
                var list = group.ToList();
                Run(ct => ListAsync(session, list, ct));
            }
            return;
        }
        var target = ResolveSession();
        var names = AppName;
        Run(async ct => await ListAsync(target, names is { Length: > 0 } ? await AppSelection.ResolveAllAsync(this, target, names, ct).ConfigureAwait(false) : null, ct)
            .ConfigureAwait(false));
    }

    private DateTimeOffset? Bound(string parameter, DateTimeOffset value) => MyInvocation.BoundParameters.ContainsKey(parameter) ? value : null;

    /// <summary>Writes the listing (with -IncludeTotalCount's total first, once the server has told it), then what could not be listed.</summary>
    private async System.Threading.Tasks.Task ListAsync(CfSession session, IReadOnlyList<CfApp>? apps, CancellationToken cancellationToken, IReadOnlyList<string>? guids = null)
    {
        if (apps is { Count: 0 })
        {
            if (PagingParameters.IncludeTotalCount) PostObject(PagingParameters.NewTotalCount(0, 1.0));
            return;
        }
        var match = WildcardMatch.For(Name);
        var tasks = session.Tasks.List(new TaskListQuery
        {
            Apps = apps, Names = match is null ? Name : null, NameMatch = match, States = State, SequenceIds = SequenceId, Guids = guids ?? Guid, LabelSelector = LabelSelector,
            CreatedAfter = Bound(nameof(CreatedAfter), CreatedAfter), CreatedBefore = Bound(nameof(CreatedBefore), CreatedBefore),
            Scope = AllSpaces.IsPresent ? TaskScope.AllSpaces : Space is not null ? TaskScope.Space(Space, Organization)
                : Organization is not null ? TaskScope.Organization(Organization) : null,
            First = PagingParameters.First == ulong.MaxValue ? null : (long)Math.Min(PagingParameters.First, long.MaxValue),
            Skip = (long)Math.Min(PagingParameters.Skip, long.MaxValue),
        });
        var totalWritten = !PagingParameters.IncludeTotalCount;
        void WriteTotal()
        {
            totalWritten = true;
            WriteObject(PagingParameters.NewTotalCount((ulong)tasks.Total, tasks.IsTotalExact ? 1.0 : 0.5));
        }
        await WriteAllAsync(tasks, cancellationToken, task =>
        {
            if (!totalWritten && tasks.IsTotalKnown) WriteTotal();
            WriteObject(task);
        }, count => new ProgressRecord(1, "Listing Cloud Foundry tasks", tasks.Total > 0 ? $"{count:N0} of {tasks.Total:N0} tasks" : $"{count:N0} tasks")
        {
            PercentComplete = tasks.Total > 0 ? (int)Math.Min(100, count * 100 / tasks.Total) : -1,
        }, progressEvery: 5000).ConfigureAwait(false);
        Post(() =>
        {
            if (!totalWritten) WriteTotal();
            foreach (var failure in tasks.Failures) WriteError(Output.ErrorCatalog.From(failure));
        });
    }
}
