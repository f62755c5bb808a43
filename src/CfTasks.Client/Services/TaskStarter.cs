using System.Security.Cryptography;
using CfTasks.Client.Api;
using CfTasks.Client.Errors;
using CfTasks.Client.Models;

namespace CfTasks.Client.Services;

/// <summary>
/// Starts tasks, exactly once (see docs/task-start-idempotency.md). The POST carries a client-generated request id as a
/// label; when the POST fails in a way where Cloud Foundry may have acted (timeout, dropped connection, 5xx from a
/// router), the task is looked up by that label and returned if it exists, else the POST is sent again (bounded, with
/// backoff). So a start creates exactly one task or reports clearly that it could not.
/// </summary>
public sealed class TaskStarter
{
    /// <summary>The label that carries a start's idempotency key on the task it creates.</summary>
    public const string RequestIdLabel = "cftasks-request-id";

    private readonly ICloudControllerApi _cloudController;
    private readonly PagedReader _paging;
    private readonly AppService _apps;
    private readonly TaskListing _listing;
    private readonly CfTarget _target;

    internal TaskStarter(ICloudControllerApi cloudController, PagedReader paging, AppService apps, TaskListing listing, CfTarget target)
    {
        _cloudController = cloudController;
        _paging = paging;
        _apps = apps;
        _listing = listing;
        _target = target;
    }

    /// <summary>How many times a start's POST is sent at most when its outcome stays unknown.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait before the second POST of a start; it doubles for each further one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Starts a task on <paramref name="app"/> and returns it as Cloud Foundry created it. Its labels and annotations are
    /// checked against Cloud Foundry's rules before anything is sent (InvalidMetadata naming the first bad key); the
    /// <see cref="RequestIdLabel"/> label is CfTasks' own and cannot be given. A droplet that does not exist or is not
    /// one of the app's is DropletNotFound.
    /// </summary>
    public async Task<CfTask> StartAsync(CfApp app, TaskStartRequest request, CancellationToken cancellationToken)
    {
        var requestId = request.RequestId ?? NewRequestId();
        var body = await BuildCreateBodyAsync(app, request, requestId, cancellationToken).ConfigureAwait(false);
        var place = await _listing.PlacementOfAsync(app, cancellationToken).ConfigureAwait(false);
        var what = $"task{(request.Name is null ? "" : $" '{request.Name}'")} on app '{app.Name}'";
        var label = $"{RequestIdLabel}={requestId}";
        CfException? lastError = null;
        var attempts = Math.Max(1, MaxAttempts);
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (attempt > 1)
            {
                var delay = TimeSpan.FromTicks(RetryDelay.Ticks * (1L << Math.Min(attempt - 2, 20)));
                CfDiagnostics.Verbose($"Starting {what} again (attempt {attempt} of {attempts}, request id {requestId}) in {delay.TotalSeconds:0.0} s.");
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            try
            {
                var created = await CfCall.RunAsync(ct => _cloudController.CreateTask(app.Guid, body, ct), cancellationToken).ConfigureAwait(false);
                return CfObjectMapper.ToTask(created, place, app.Origin ?? _target);
            }
            catch (CfException error) when (IsAmbiguous(error) && !cancellationToken.IsCancellationRequested)
            {
                lastError = error;
                CfDiagnostics.Verbose($"Starting {what} may or may not have worked ({error.Message}); looking for a task labelled {label}.");
            }
            catch (CfException error)
            {
                throw Refine(error, app, request);
            }

            CfTask? existing;
            try
            {
                existing = await FindByRequestIdAsync(app, requestId, cancellationToken).ConfigureAwait(false);
            }
            catch (CfException lookupError) when (!cancellationToken.IsCancellationRequested)
            {
                throw CfErrors.TaskStartUnconfirmed(app.Name, label, lastError, lookupError);
            }
            if (existing is not null)
            {
                CfDiagnostics.Verbose($"Cloud Foundry did create the {what} (task {existing.SequenceId}, {existing.Guid}); not starting it again.");
                return existing;
            }
        }
        throw CfErrors.TaskNotStarted(app.Name, label, attempts, lastError!);
    }

    /// <summary>The task a start with this request id created, or null (<c>label_selector</c> on the app's tasks).</summary>
    public async Task<CfTask?> FindByRequestIdAsync(CfApp app, string requestId, CancellationToken cancellationToken)
    {
        var page = await _paging.FirstPageAsync(
            ct => _cloudController.ListAppTasks(app.Guid, null, null, null, null, $"{RequestIdLabel}={requestId}", null, 2, ct),
            CfJsonContext.Default.ListTaskResource, cancellationToken).ConfigureAwait(false);
        var found = page.Resources?.FirstOrDefault();
        return found is null ? null : CfObjectMapper.ToTask(found, await _listing.PlacementOfAsync(app, cancellationToken).ConfigureAwait(false), app.Origin ?? _target);
    }

    /// <summary>A new request id: 32 lower-case hex characters (a valid CF label value).</summary>
    public static string NewRequestId()
    {
        var bytes = new byte[16];
        using (var random = RandomNumberGenerator.Create()) random.GetBytes(bytes);
        return string.Concat(bytes.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    private async Task<TaskCreateRequest> BuildCreateBodyAsync(CfApp app, TaskStartRequest request, string requestId, CancellationToken cancellationToken)
    {
        if (!IsValidRequestId(requestId)) throw CfErrors.InvalidRequestId(requestId);
        if (request.Labels?.ContainsKey(RequestIdLabel) == true)
            throw CfErrors.InvalidMetadata("label", RequestIdLabel, "CfTasks sets it on every start, to start each task exactly once");
        MetadataRules.Validate(request.Labels, request.Annotations);

        TaskTemplate? template = null;
        if (request.Process is { } type)
        {
            var process = await _apps.GetProcessAsync(app, type, cancellationToken).ConfigureAwait(false);
            template = new TaskTemplate(new TaskTemplateProcess(process.Guid));
        }
        else if (request.Command is null)
        {
            try
            {
                var process = await _apps.GetProcessAsync(app, "task", cancellationToken).ConfigureAwait(false);
                template = new TaskTemplate(new TaskTemplateProcess(process.Guid));
            }
            catch (CfException error) when (error.Kind == CfErrorKind.NotFound)
            {
                throw CfErrors.NoTaskCommand(app, error);
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
            DropletGuid = request.DropletGuid,
            User = request.User,
            Metadata = new Metadata(Labels: LabelsWith(request.Labels, requestId), Annotations: request.Annotations is { Count: > 0 } annotations
                ? annotations.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
                : null),
        };
    }

    /// <summary>The caller's labels and the start's request id label.</summary>
    private static Dictionary<string, string?> LabelsWith(IReadOnlyDictionary<string, string?>? labels, string requestId)
    {
        var all = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var pair in labels ?? new Dictionary<string, string?>()) all[pair.Key] = pair.Value;
        all[RequestIdLabel] = requestId;
        return all;
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

    private CfException Refine(CfException error, CfApp app, TaskStartRequest request) => error switch
    {
        { Kind: CfErrorKind.NotFound, CfCode: 10010 } when error.Errors.Any(e => e.Detail == "App not found") =>
            CfErrors.AppNotFound(app.Name, CfErrors.SpaceOf(app.Origin ?? _target), error),
        { Kind: CfErrorKind.NotFound, CfCode: 10010 } when request.DropletGuid is { } droplet && error.Errors.Any(e => e.Detail == "Droplet not found") =>
            CfErrors.DropletNotFound(droplet, app.Name, error),
        { Kind: CfErrorKind.InvalidArgument } => CfErrors.TaskRejected(app.Name, error),
        { Kind: CfErrorKind.PermissionDenied } => CfErrors.MayNotStart(app.Name, error),
        { CfCode: 170020 } => CfErrors.TaskWorkersUnavailable(app.Name, error),
        _ => error.As(error.Failure, app.Name),
    };

    private static bool IsValidRequestId(string id) =>
        id.Length is > 0 and <= 63 && IsAsciiLetterOrDigit(id[0]) && IsAsciiLetterOrDigit(id[id.Length - 1]) &&
        id.All(c => IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static bool IsAsciiLetterOrDigit(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9';
}
