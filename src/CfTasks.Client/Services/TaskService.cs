using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using CfTasks.Client.Errors;
using CfTasks.Client.Http;
using CfTasks.Client.Models;

namespace CfTasks.Client.Services;

/// <summary>
/// Tasks: list (streamed page by page), get, start (idempotent, see docs/task-start-idempotency.md), cancel and wait.
/// </summary>
public sealed class TaskService
{
    /// <summary>The label that carries a start's idempotency key on the task it creates.</summary>
    public const string RequestIdLabel = "cftasks-request-id";

    /// <summary>The order <c>cf tasks</c> shows: newest first.</summary>
    private const string NewestFirst = "-created_at";

    /// <summary>How many guids one <c>guids=</c> poll carries.</summary>
    public const int GuidsPerPoll = 50;

    private readonly CfSession _session;

    internal TaskService(CfSession session) => _session = session;

    /// <summary>How often a wait polls (the cf CLI's <c>--wait</c> polls every 3 s).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How many times a start's POST is sent at most when its outcome stays unknown.</summary>
    public int MaxStartAttempts { get; set; } = 5;

    /// <summary>The wait before the second POST of a start; it doubles for each further one.</summary>
    public TimeSpan StartRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    // ------------------------------------------------------------------ list / get

    /// <summary>
    /// Tasks of one app (<c>GET /v3/apps/:guid/tasks</c>, which returns <c>command</c> to developers) or, when
    /// <paramref name="app"/> is null, of every app in the targeted space (<c>GET /v3/tasks?space_guids=</c>, which never
    /// returns <c>command</c>; app names are filled in with one batched look-up per page). Newest first, like
    /// <c>cf tasks</c>: the server orders by <c>-created_at</c> so the listing still streams page by page, and within a
    /// page tasks created in the same second (CC's timestamps have whole seconds) come in descending sequence order.
    /// Tasks created while a listing runs push older ones onto later pages; a task already emitted on the previous page
    /// is not emitted again. A consumer that stops early stops the paging.
    /// </summary>
    public async IAsyncEnumerable<CfTask> ListAsync(CfApp? app, TaskListQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (app is null && query.SequenceIds is { Count: > 0 })
            throw new CfException(CfErrorKind.InvalidArgument, "CfSequenceIdNeedsApp",
                "Sequence ids are numbered per app: name the app (-AppName) to look tasks up by sequence id.", query.SequenceIds);

        var clientFilter = query.NameMatch;
        var first = query.First is { } f ? Math.Max(0, f) : long.MaxValue;
        if (first == 0) yield break;
        var perPage = clientFilter is null && first < PagedReader.MaxPerPage ? (int)first : PagedReader.MaxPerPage;
        var skip = Math.Max(0, query.Skip);
        int? startPage = null;
        if (clientFilter is null && skip >= perPage)
        {
            startPage = (int)Math.Min(int.MaxValue, skip / perPage + 1);
            skip %= perPage;
        }

        var names = clientFilter is null && query.Names is { Count: > 0 } ? query.Names.Select(AppService.EscapeListValue).ToList() : null;
        var states = query.States is { Count: > 0 } ? query.States.Select(CfObjectMapper.ToWire).Distinct().ToList() : null;
        var guids = query.Guids is { Count: > 0 } ? query.Guids.ToList() : null;
        var sequenceIds = query.SequenceIds is { Count: > 0 } ? query.SequenceIds.Distinct().ToList() : null;

        IAsyncEnumerable<Page<TaskResource>> pages;
        if (app is not null)
        {
            pages = _session.Paging.ReadPagesAsync(
                ct => _session.CloudController.ListAppTasks(app.Guid, guids, names, states, sequenceIds, null, NewestFirst, perPage, ct, startPage),
                CfJsonContext.Default.PageTaskResource, cancellationToken);
        }
        else
        {
            var space = _session.RequireSpaceGuid();
            pages = _session.Paging.ReadPagesAsync(
                ct => _session.CloudController.ListTasks(guids, names, states, null, [space], null, NewestFirst, perPage, ct, startPage),
                CfJsonContext.Default.PageTaskResource, cancellationToken);
        }

        var appNames = new Dictionary<string, string>(StringComparer.Ordinal);
        if (app is not null) appNames[app.Guid] = app.Name;
        var origin = app?.Origin ?? _session.Target;
        var firstPage = true;
        long yielded = 0;
        var previousPage = new HashSet<string>(StringComparer.Ordinal);
        var thisPage = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var page in pages.ConfigureAwait(false))
        {
            (previousPage, thisPage) = (thisPage, previousPage);
            thisPage.Clear();
            if (firstPage)
            {
                firstPage = false;
                if (page.Pagination is { } pagination) query.OnTotal?.Invoke(pagination.TotalResults, clientFilter is null);
            }
            var resources = page.Resources ?? [];
            if (app is null)
            {
                var missing = resources.Select(AppGuidOf).Where(g => g.Length > 0 && !appNames.ContainsKey(g)).Distinct().ToList();
                if (missing.Count > 0)
                {
                    foreach (var (guid, name) in await _session.Apps.GetNamesAsync(missing, cancellationToken).ConfigureAwait(false))
                        appNames[guid] = name;
                }
            }
            foreach (var resource in NewestFirstOnPage(resources))
            {
                if (!thisPage.Add(resource.Guid) || previousPage.Contains(resource.Guid)) continue;
                if (clientFilter is not null && !clientFilter(resource.Name)) continue;
                if (skip > 0)
                {
                    skip--;
                    continue;
                }
                yield return CfObjectMapper.ToTask(resource, appNames.GetValueOrDefault(AppGuidOf(resource)), origin);
                if (++yielded >= first) yield break;
            }
            if (query.BeforeNextPage is { } beforeNextPage && page.Pagination?.Next is not null && resources.Count > 0)
                await beforeNextPage(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The page newest first by time, then sequence id (CC orders by time only, to the second). Pages usually arrive in
    /// that order already; they are sorted only when they do not.
    /// </summary>
    private static IEnumerable<TaskResource> NewestFirstOnPage(List<TaskResource> resources)
    {
        for (var i = 1; i < resources.Count; i++)
        {
            var (newer, older) = (resources[i - 1], resources[i]);
            if (newer.CreatedAt < older.CreatedAt || (newer.CreatedAt == older.CreatedAt && newer.SequenceId < older.SequenceId))
                return resources.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.SequenceId);
        }
        return resources;
    }

    /// <summary>One task by guid (<c>GET /v3/tasks/:guid</c>, command shown to developers); CfTaskNotFound when unknown.</summary>
    public async Task<CfTask> GetAsync(string guid, CancellationToken cancellationToken, string? appName = null)
    {
        TaskResource task;
        try
        {
            task = await CfCall.RunAsync(ct => _session.CloudController.GetTask(guid, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (CfException error) when (error.Kind == CfErrorKind.NotFound)
        {
            throw error.WithContext("CfTaskNotFound", guid, $"Task '{guid}' not found, or you cannot see it.");
        }
        appName ??= await AppNameAsync(AppGuidOf(task), cancellationToken).ConfigureAwait(false);
        return CfObjectMapper.ToTask(task, appName, _session.Target);
    }

    // ------------------------------------------------------------------ start

    /// <summary>
    /// Starts a task on <paramref name="app"/>. The POST carries a client-generated request id as a label; when the
    /// POST fails in a way where Cloud Foundry may have acted (timeout, dropped connection, 5xx from a router), the
    /// task is looked up by that label and returned if it exists, else the POST is sent again (bounded, with backoff).
    /// So a start creates exactly one task or reports clearly that it could not.
    /// </summary>
    public async Task<CfTask> StartAsync(CfApp app, TaskStartRequest request, CancellationToken cancellationToken)
    {
        var requestId = request.RequestId ?? NewRequestId();
        var body = await BuildCreateBodyAsync(app, request, requestId, cancellationToken).ConfigureAwait(false);
        var what = $"task{(request.Name is null ? "" : $" '{request.Name}'")} on app '{app.Name}'";
        CfException? lastError = null;
        var attempts = Math.Max(1, MaxStartAttempts);
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (attempt > 1)
            {
                var delay = StartRetryDelay * Math.Pow(2, attempt - 2);
                CfDiagnostics.Verbose($"Starting {what} again (attempt {attempt} of {attempts}, request id {requestId}) in {delay.TotalSeconds:0.0} s.");
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            try
            {
                var created = await CfCall.RunAsync(ct => _session.CloudController.CreateTask(app.Guid, body, ct), cancellationToken).ConfigureAwait(false);
                return CfObjectMapper.ToTask(created, app.Name, app.Origin ?? _session.Target);
            }
            catch (CfException error) when (IsAmbiguous(error) && !cancellationToken.IsCancellationRequested)
            {
                lastError = error;
                CfDiagnostics.Verbose($"Starting {what} may or may not have worked ({error.Message}); looking for a task labelled {RequestIdLabel}={requestId}.");
            }
            catch (CfException error)
            {
                throw Refine(error, app);
            }

            CfTask? existing;
            try
            {
                existing = await FindByRequestIdAsync(app, requestId, cancellationToken).ConfigureAwait(false);
            }
            catch (CfException lookupError) when (!cancellationToken.IsCancellationRequested)
            {
                throw Unconfirmed(app, requestId, attempt, lastError, lookupError);
            }
            if (existing is not null)
            {
                CfDiagnostics.Verbose($"Cloud Foundry did create the {what} (task {existing.SequenceId}, {existing.Guid}); not starting it again.");
                return existing;
            }
        }
        throw Unconfirmed(app, requestId, attempts, lastError!, null);
    }

    /// <summary>The task a start with this request id created, or null (<c>label_selector</c> on the app's tasks).</summary>
    public async Task<CfTask?> FindByRequestIdAsync(CfApp app, string requestId, CancellationToken cancellationToken)
    {
        var page = await CfCall.RunAsync(
            ct => _session.CloudController.ListAppTasks(app.Guid, null, null, null, null, $"{RequestIdLabel}={requestId}", null, 2, ct),
            cancellationToken).ConfigureAwait(false);
        var found = page.Resources?.FirstOrDefault();
        return found is null ? null : CfObjectMapper.ToTask(found, app.Name, app.Origin ?? _session.Target);
    }

    /// <summary>A new request id: 32 lower-case hex characters (a valid CF label value).</summary>
    public static string NewRequestId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    private async Task<TaskCreateRequest> BuildCreateBodyAsync(CfApp app, TaskStartRequest request, string requestId, CancellationToken cancellationToken)
    {
        if (!IsValidRequestId(requestId))
            throw new CfException(CfErrorKind.InvalidArgument, "CfInvalidRequestId",
                $"'{requestId}' is not a valid request id: use 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit.", requestId);

        TaskTemplate? template = null;
        if (request.Process is { } type)
        {
            var process = await _session.Apps.GetProcessAsync(app, type, cancellationToken).ConfigureAwait(false);
            template = new TaskTemplate(new TaskTemplateProcess(process.Guid));
        }
        else if (request.Command is null)
        {
            try
            {
                var process = await _session.Apps.GetProcessAsync(app, "task", cancellationToken).ConfigureAwait(false);
                template = new TaskTemplate(new TaskTemplateProcess(process.Guid));
            }
            catch (CfException error) when (error.Kind == CfErrorKind.NotFound)
            {
                throw new CfException(CfErrorKind.InvalidArgument, "CfNoTaskCommand",
                    $"App '{app.Name}' has no 'task' process to take the command from. Give -Command, or -Process <type> to use another process as the template.",
                    app, error);
            }
        }

        return new TaskCreateRequest
        {
            Command = request.Command,
            Name = request.Name,
            MemoryInMb = request.MemoryInMb,
            DiskInMb = request.DiskInMb,
            LogRateLimitInBytesPerSecond = request.LogRateLimitInBytesPerSecond,
            Template = template,
            Metadata = new Metadata(Labels: new Dictionary<string, string?> { [RequestIdLabel] = requestId }),
        };
    }

    /// <summary>
    /// True when a failed POST may still have created the task: no answer (timeout, connection dropped) or an answer
    /// from something in front of CC (502/503/504, 429, a 5xx without CC's own task error).
    /// </summary>
    internal static bool IsAmbiguous(CfException error)
    {
        if (error.Kind is CfErrorKind.Timeout or CfErrorKind.Connection) return true;
        if (error.CfCode is 170019 or 170020) return false; // CC recorded the task as FAILED and said so: not ambiguous
        return error.StatusCode is 429 or >= 500;
    }

    private static CfException Refine(CfException error, CfApp app) => error switch
    {
        { Kind: CfErrorKind.NotFound, CfCode: 10010 } when error.Errors.Any(e => e.Detail == "App not found") =>
            error.WithContext("CfAppNotFound", app.Name, $"App '{app.Name}' not found, or you cannot see it: {error.Message}"),
        { Kind: CfErrorKind.InvalidArgument } => error.WithContext("CfTaskRejected", app.Name,
            $"Cloud Foundry did not start the task on app '{app.Name}': {string.Join("; ", error.Errors.Select(e => e.Detail).DefaultIfEmpty(error.Message))}"),
        { Kind: CfErrorKind.PermissionDenied } => error.WithContext("CfPermissionDenied", app.Name,
            $"You may not start tasks on app '{app.Name}': {error.Message}"),
        { CfCode: 170020 } => error.WithContext("CfTaskWorkersUnavailable", app.Name,
            $"Cloud Foundry could not hand the task on app '{app.Name}' to its task workers: {error.Message}"),
        _ => error.WithContext(error.ErrorId, app.Name),
    };

    private static CfException Unconfirmed(CfApp app, string requestId, int attempts, CfException lastError, CfException? lookupError)
    {
        var message = lookupError is null
            ? $"Could not start a task on app '{app.Name}': {attempts} attempt(s) failed without an answer ({lastError.Message}), and no task labelled {RequestIdLabel}={requestId} exists, so none was started."
            : $"Could not confirm whether a task was started on app '{app.Name}': the start failed without an answer ({lastError.Message}) and looking it up failed too ({lookupError.Message}). " +
              $"Check for a task labelled {RequestIdLabel}={requestId} before starting it again.";
        return new CfException(lastError.Kind == CfErrorKind.Timeout ? CfErrorKind.Timeout : CfErrorKind.Server,
            lookupError is null ? "CfTaskNotStarted" : "CfTaskStartUnconfirmed", message, app.Name, lastError);
    }

    private static bool IsValidRequestId(string id) =>
        id.Length is > 0 and <= 63 && char.IsAsciiLetterOrDigit(id[0]) && char.IsAsciiLetterOrDigit(id[^1]) &&
        id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    // ------------------------------------------------------------------ cancel

    /// <summary>
    /// Asks Cloud Foundry to cancel a task (<c>POST /v3/tasks/:guid/actions/cancel</c>). Returns the task as CC answers
    /// (Canceling, which is not terminal). A task that already finished gives CfTaskNotCancelable naming its state.
    /// </summary>
    public async Task<CfTask> CancelAsync(CfTask task, CancellationToken cancellationToken)
    {
        try
        {
            var canceling = await CfCall.RunAsync(ct => _session.CloudController.CancelTask(task.Guid, ct), cancellationToken).ConfigureAwait(false);
            return CfObjectMapper.ToTask(canceling, task.AppName, task.Origin ?? _session.Target);
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
            throw new CfException(CfErrorKind.InvalidOperation, "CfTaskNotCancelable",
                $"Task {Describe(task)} is {state} and therefore cannot be canceled.", task, error) { StatusCode = 422, Errors = error.Errors };
        }
        catch (CfException error) when (error.Kind == CfErrorKind.NotFound)
        {
            throw error.WithContext("CfTaskNotFound", task, $"Task {Describe(task)} not found, or you cannot see it.");
        }
        catch (CfException error) when (error.Kind == CfErrorKind.PermissionDenied)
        {
            throw error.WithContext("CfPermissionDenied", task, $"You may not cancel task {Describe(task)}: {error.Message}");
        }
    }

    // ------------------------------------------------------------------ wait

    /// <summary>
    /// Waits until each task is Succeeded or Failed (Canceling is not terminal), polling every
    /// <see cref="PollInterval"/> with batched <c>GET /v3/tasks?guids=</c> requests (at most <see cref="GuidsPerPoll"/>
    /// guids each, never one request per task). Yields each task as it finishes; when <paramref name="timeout"/>
    /// passes, yields the unfinished ones with a CfTaskWaitTimeout error.
    /// </summary>
    public async IAsyncEnumerable<TaskWaitOutcome> WaitAsync(
        IEnumerable<CfTask> tasks, TimeSpan? timeout, Action<TaskWaitProgress>? progress,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pending = new Dictionary<string, CfTask>(StringComparer.Ordinal);
        foreach (var task in tasks) pending.TryAdd(task.Guid, task);
        var total = pending.Count;
        var finished = 0;
        var clock = Stopwatch.StartNew();
        var firstPoll = true;
        while (pending.Count > 0)
        {
            if (!firstPoll)
            {
                var delay = PollInterval;
                if (timeout is { } limit)
                {
                    var left = limit - clock.Elapsed;
                    if (left <= TimeSpan.Zero) break;
                    if (left < delay) delay = left;
                }
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            firstPoll = false;

            foreach (var batch in pending.Keys.Chunk(GuidsPerPoll).ToList())
            {
                var page = await CfCall.RunAsync(
                    ct => _session.CloudController.ListTasks(batch, null, null, null, null, null, null, GuidsPerPoll, ct),
                    cancellationToken).ConfigureAwait(false);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var resource in page.Resources ?? [])
                {
                    if (!pending.TryGetValue(resource.Guid, out var known)) continue;
                    seen.Add(resource.Guid);
                    var current = Refresh(resource, known);
                    if (current.IsTerminal)
                    {
                        pending.Remove(resource.Guid);
                        finished++;
                        yield return new TaskWaitOutcome(current, null);
                    }
                    else
                    {
                        pending[resource.Guid] = current;
                    }
                }
                foreach (var gone in batch.Where(g => !seen.Contains(g)))
                {
                    var known = pending[gone];
                    pending.Remove(gone);
                    finished++;
                    yield return new TaskWaitOutcome(known, new CfException(CfErrorKind.NotFound, "CfTaskNotFound",
                        $"Task {Describe(known)} no longer exists, or you cannot see it.", known));
                }
            }
            progress?.Invoke(new TaskWaitProgress(total, finished, pending.Values.ToList(), clock.Elapsed));
            if (timeout is { } max && clock.Elapsed >= max) break;
        }

        foreach (var task in pending.Values)
        {
            yield return new TaskWaitOutcome(task, new CfException(CfErrorKind.Timeout, "CfTaskWaitTimeout",
                $"Task {Describe(task)} is still {task.State} after {timeout?.TotalSeconds:0.#} s.", task));
        }
    }

    /// <summary>The error for a task that ended Failed (e.g. Start-CfTask -Wait): carries CF's failure reason.</summary>
    public static CfException TaskFailed(CfTask task) =>
        new(CfErrorKind.TaskFailed, "CfTaskFailed",
            $"Task {Describe(task)} failed: {task.FailureReason ?? "no reason given"}", task);

    /// <summary>How messages name a task: <c>3 (migrate) of app 'billing'</c>.</summary>
    public static string Describe(CfTask task) =>
        $"{task.SequenceId} ({task.Name}) of app '{task.AppName ?? task.AppGuid}'";

    private CfTask Refresh(TaskResource resource, CfTask known)
    {
        // GET /v3/tasks never carries command: keep the one we knew.
        if (resource.Command is null && known.Command is not null) resource = resource with { Command = known.Command };
        return CfObjectMapper.ToTask(resource, known.AppName, known.Origin ?? _session.Target);
    }

    private async Task<string?> AppNameAsync(string appGuid, CancellationToken cancellationToken)
    {
        if (appGuid.Length == 0) return null;
        var names = await _session.Apps.GetNamesAsync([appGuid], cancellationToken).ConfigureAwait(false);
        return names.GetValueOrDefault(appGuid);
    }

    private static string AppGuidOf(TaskResource task) => task.Relationships?.App?.Data?.Guid ?? "";
}
