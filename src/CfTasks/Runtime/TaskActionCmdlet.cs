using System.Management.Automation;
using CfTasks.Client;
using CfTasks.Client.Errors;
using CfTasks.Client.Services;
using CfTasks.Completion;
using CfTasks.Transforms;

namespace CfTasks.Runtime;

/// <summary>
/// A cmdlet that acts on tasks one by one (Stop-CfTask, Set-CfTask): tasks piped in (each through the connection it
/// came from), an app's tasks by sequence id, or tasks by guid. Each task is offered to ShouldProcess and then to
/// <see cref="ActAsync"/>; what cannot be found (the app, an id, a guid) is a non-terminating error naming it, so the
/// others are still acted on.
/// </summary>
public abstract class TaskActionCmdlet : CfTargetedCmdlet
{
    /// <summary>Tasks piped in or given.</summary>
    protected const string TaskSet = "Task";
    /// <summary>An app's name and sequence ids.</summary>
    protected const string SequenceSet = "SequenceId";
    /// <summary>Guids.</summary>
    protected const string GuidSet = "Guid";

    /// <summary>Tasks to act on (from Get-CfTask or Start-CfTask).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = TaskSet, ValueFromPipeline = true)]
    [Alias("Task")]
    [ValidateNotNull]
    public CfTask[]? InputObject { get; set; }

    /// <summary>The app whose tasks to act on, by sequence id.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = SequenceSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AppNameCompleter))]
    [ValidateCfName]
    public string? AppName { get; set; }

    /// <summary>The sequence ids (the id cf tasks shows) of the tasks to act on.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = SequenceSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateRange(1, int.MaxValue)]
    public int[]? SequenceId { get; set; }

    /// <summary>Guids of the tasks to act on.</summary>
    [Parameter(Mandatory = true, ParameterSetName = GuidSet, ValueFromPipelineByPropertyName = true)]
    [ValidateCfGuid]
    public string[]? Guid { get; set; }

    /// <summary>What is done to each task, as ShouldProcess says it ("Cancel").</summary>
    protected abstract string Action { get; }

    /// <summary>Acts on one task (off the pipeline thread); reports its own per-task failures.</summary>
    protected abstract Task ActAsync(CfSession session, CfTask task, CancellationToken cancellationToken);

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case TaskSet:
                foreach (var task in InputObject ?? [])
                {
                    var session = ResolveSession(task.Origin);
                    if (!ShouldProcess($"task {TaskService.Describe(task)}", Action)) continue;
                    Run(ct => ActAsync(session, task, ct));
                }
                break;
            case SequenceSet:
            {
                var session = ResolveSession();
                var appName = AppName!;
                var wanted = SequenceId!.Where(id => ShouldProcess($"task {id} of app '{appName}'", Action)).Distinct().ToList();
                if (wanted.Count > 0) Run(ct => BySequenceIdsAsync(session, appName, wanted, ct));
                break;
            }
            case GuidSet:
            {
                var session = ResolveSession();
                foreach (var guid in Guid!)
                {
                    if (ShouldProcess($"task {guid}", Action)) Run(ct => ByGuidAsync(session, guid, ct));
                }
                break;
            }
        }
    }

    private async Task BySequenceIdsAsync(CfSession session, string appName, IReadOnlyList<int> sequenceIds, CancellationToken cancellationToken)
    {
        CfApp app;
        try
        {
            app = await session.Apps.GetByNameAsync(appName, cancellationToken).ConfigureAwait(false);
        }
        catch (CfException error) when (error.Kind == CfErrorKind.NotFound)
        {
            PostError(error, appName);
            return;
        }
        var found = new List<CfTask>();
        var tasks = session.Tasks.List(new TaskListQuery { Apps = [app], SequenceIds = sequenceIds });
        await foreach (var task in tasks.WithCancellation(cancellationToken).ConfigureAwait(false))
            found.Add(task);
        foreach (var failure in tasks.Failures) PostError(failure, failure.Target);
        foreach (var task in found.OrderBy(t => t.SequenceId)) await ActAsync(session, task, cancellationToken).ConfigureAwait(false);
    }

    private async Task ByGuidAsync(CfSession session, string guid, CancellationToken cancellationToken)
    {
        CfTask task;
        try
        {
            task = await session.Tasks.GetAsync(guid, cancellationToken).ConfigureAwait(false);
        }
        catch (CfException error) when (error.Kind == CfErrorKind.NotFound)
        {
            PostError(error, guid);
            return;
        }
        await ActAsync(session, task, cancellationToken).ConfigureAwait(false);
    }
}
