using CfTasks.Client.Api;
using CfTasks.Client.Errors;
using CfTasks.Client.Models;

namespace CfTasks.Client.Services;

/// <summary>
/// Tasks of a connection: get and cancel (one request each) here; listing (<see cref="TaskListing"/>), idempotent
/// start (<see cref="Starter"/>) and waiting (<see cref="Waiter"/>) each in a class of its own.
/// </summary>
public sealed class TaskService
{
    private readonly ICloudControllerApi _cloudController;
    private readonly CfTarget _target;
    private readonly TaskListing _listing;

    internal TaskService(ICloudControllerApi cloudController, PagedReader paging, AppService apps, CfTarget target)
    {
        _cloudController = cloudController;
        _target = target;
        _listing = new TaskListing(cloudController, paging, apps, new TargetService(cloudController, paging, target), target);
        Starter = new TaskStarter(cloudController, paging, apps, _listing, target);
        Waiter = new TaskWaiter(cloudController, paging, target);
    }

    /// <summary>Starts tasks exactly once; its settings (attempts, backoff) are there.</summary>
    public TaskStarter Starter { get; }

    /// <summary>Waits for tasks; its poll interval is there.</summary>
    public TaskWaiter Waiter { get; }

    /// <summary>A listing of the tasks <paramref name="query"/> asks for, streamed as it is enumerated.</summary>
    public TaskList List(TaskListQuery query) => _listing.List(query);

    /// <summary>One task by guid (command shown to developers); TaskNotFound when unknown.</summary>
    public Task<CfTask> GetAsync(string guid, CancellationToken cancellationToken, string? appName = null, CfTarget? origin = null) =>
        _listing.GetAsync(guid, cancellationToken, appName, origin);

    /// <summary>A newer view of a task read before (one request); its app, space and organization names are kept.</summary>
    public Task<CfTask> RefreshAsync(CfTask task, CancellationToken cancellationToken) => _listing.RefreshAsync(task, cancellationToken);

    /// <summary>Starts a task on <paramref name="app"/> (see <see cref="TaskStarter"/>).</summary>
    public Task<CfTask> StartAsync(CfApp app, TaskStartRequest request, CancellationToken cancellationToken) =>
        Starter.StartAsync(app, request, cancellationToken);

    /// <summary>Waits until the tasks are Succeeded or Failed (see <see cref="TaskWaiter"/>).</summary>
    public IAsyncEnumerable<TaskWaitUpdate> WaitAsync(IEnumerable<CfTask> tasks, TimeSpan? timeout, CancellationToken cancellationToken) =>
        Waiter.WaitAsync(tasks, timeout, cancellationToken);

    /// <summary>
    /// Asks Cloud Foundry to cancel a task (<c>POST /v3/tasks/:guid/actions/cancel</c>). Returns the task as CC answers
    /// (Canceling, which is not terminal). A task that already finished gives TaskNotCancelable naming its state.
    /// </summary>
    public async Task<CfTask> CancelAsync(CfTask task, CancellationToken cancellationToken)
    {
        try
        {
            var canceling = await CfCall.RunAsync(ct => _cloudController.CancelTask(task.Guid, ct), cancellationToken).ConfigureAwait(false);
            return CfObjectMapper.ToTask(canceling, AppPlacement.Of(task), task.Origin ?? _target);
        }
        catch (CfException error) when (error.StatusCode == 422)
        {
            var state = task.State;
            try
            {
                state = (await GetAsync(task.Guid, cancellationToken, task.AppName ?? "").ConfigureAwait(false)).State;
            }
            catch (CfException)
            {
                // keep the state we knew; the 422 is the news
            }
            throw CfErrors.TaskNotCancelable(task, state, error);
        }
        catch (CfException error) when (error.Kind == CfErrorKind.NotFound)
        {
            throw CfErrors.TaskNotFound(task, Describe(task), error);
        }
        catch (CfException error) when (error.Kind == CfErrorKind.PermissionDenied)
        {
            throw CfErrors.MayNotCancel(task, error);
        }
    }

    /// <summary>
    /// Changes a task's labels and annotations (<c>PATCH /v3/tasks/:guid</c>): the given keys are set, a key given with a
    /// null value is removed, the others stay. The keys and values are checked against Cloud Foundry's rules first
    /// (InvalidMetadata naming the first bad key, before any request). Returns the task as Cloud Foundry answers. A task
    /// that is gone or not visible is TaskNotFound; one the caller may only read is PermissionDenied; Cloud Foundry's
    /// own refusal (422) is MetadataRejected with its words.
    /// </summary>
    public async Task<CfTask> UpdateMetadataAsync(
        CfTask task, IReadOnlyDictionary<string, string?>? labels, IReadOnlyDictionary<string, string?>? annotations, CancellationToken cancellationToken)
    {
        if (task is null) throw new ArgumentNullException(nameof(task));
        if (labels is not { Count: > 0 } && annotations is not { Count: > 0 }) throw CfErrors.NothingToUpdate(task);
        MetadataRules.Validate(labels, annotations);
        var body = new TaskUpdateRequest(new Metadata(
            labels is { Count: > 0 } ? labels.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal) : null,
            annotations is { Count: > 0 } ? annotations.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal) : null));
        try
        {
            var updated = await CfCall.RunAsync(ct => _cloudController.UpdateTask(task.Guid, body, ct), cancellationToken).ConfigureAwait(false);
            return CfObjectMapper.ToTask(updated, AppPlacement.Of(task), task.Origin ?? _target);
        }
        catch (CfException error) when (error.Kind == CfErrorKind.NotFound)
        {
            throw CfErrors.TaskNotFound(task, Describe(task), error);
        }
        catch (CfException error) when (error.Kind == CfErrorKind.PermissionDenied)
        {
            throw CfErrors.MayNotUpdate(task, error);
        }
        catch (CfException error) when (error.Kind == CfErrorKind.InvalidArgument)
        {
            throw CfErrors.MetadataRejected(task, error);
        }
    }

    /// <summary>How messages name a task: <c>3 (migrate) of app 'billing'</c>.</summary>
    public static string Describe(CfTask task) => CfErrors.Describe(task);
}
