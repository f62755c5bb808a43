namespace CfTasks.Client.Errors;

/// <summary>
/// The client's failures, each built in one place: its <see cref="CfFailure"/>, kind, target and the words people read.
/// Messages state what happened and about what; what to do about it in PowerShell (which cmdlet or parameter) is added
/// by the cmdlet layer's error catalogue. Generic HTTP and transport failures come from <c>Http/CfApiErrors</c>.
/// </summary>
public static class CfErrors
{
    // ------------------------------------------------------------------ connecting and targeting

    public static CfException InvalidApiEndpoint(string text, string problem) =>
        new(CfFailure.InvalidApiEndpoint, CfErrorKind.InvalidArgument, $"'{text}' is not an API endpoint: {problem}.", text);

    public static CfException NoSpaceTargeted(CfTarget target) =>
        new(CfFailure.NoSpaceTargeted, CfErrorKind.NotConnected, $"No space is targeted on {target.ApiEndpoint}.", target.ApiEndpoint);

    public static CfException NoOrganizationTargeted(string? space) =>
        new(CfFailure.NoOrganizationTargeted, CfErrorKind.NotConnected, "No organization is targeted, so a space cannot be looked up by name.", space);

    public static CfException OrganizationNotFound(string name, Uri api) =>
        new(CfFailure.OrganizationNotFound, CfErrorKind.NotFound, $"Organization '{name}' not found on {api}, or you cannot see it.", name);

    public static CfException SpaceNotFound(string name, string organization) =>
        new(CfFailure.SpaceNotFound, CfErrorKind.NotFound, $"Space '{name}' not found in organization '{organization}', or you cannot see it.", name);

    public static CfException ConfigNotFound(string path) =>
        new(CfFailure.ConfigNotFound, CfErrorKind.NotConnected, $"No cf CLI configuration at '{path}'.", path);

    public static CfException ConfigUnreadable(string path, Exception error) =>
        new(CfFailure.ConfigUnreadable, CfErrorKind.InvalidArgument, $"'{path}' is not a cf CLI configuration file: {error.Message}", path, error);

    public static CfException ConfigUnsupported(string path, int? version) =>
        new(CfFailure.ConfigUnsupported, CfErrorKind.InvalidArgument,
            $"'{path}' has ConfigVersion {version}; only version 4 (cf CLI 7 and later) is understood.", path);

    public static CfException ConfigNotLoggedIn(string path) =>
        new(CfFailure.ConfigNotLoggedIn, CfErrorKind.NotConnected, $"'{path}' has no API target or no access token: the cf CLI is not logged in.", path);

    public static CfException AuthenticationFailed(string who, string uaaWords, int status) =>
        new(CfFailure.AuthenticationFailed, CfErrorKind.Authentication, $"UAA rejected the credentials of {who}: {uaaWords}", who) { StatusCode = status };

    public static CfException SessionExpired(string why) =>
        new(CfFailure.SessionExpired, CfErrorKind.Authentication, $"The session could not be renewed: {why}.");

    /// <summary>UAA refused a sign-in; <paramref name="what"/> names the credential without its secret ("the one-time passcode").</summary>
    public static CfException SignInRejected(string what, string uaaWords, int status) =>
        new(CfFailure.AuthenticationFailed, CfErrorKind.Authentication, $"UAA rejected {what}: {uaaWords}", what) { StatusCode = status };

    /// <summary>The connection was closed (disconnected, or replaced by a new connection as the same user); its tokens are gone.</summary>
    public static CfException ConnectionClosed() =>
        new(CfFailure.NotConnected, CfErrorKind.NotConnected, "This connection was closed and its tokens dropped.");

    /// <summary>Signing in would send credentials or tokens over plain http to <paramref name="endpoint"/>, which is not loopback.</summary>
    public static CfException InsecureEndpoint(Uri endpoint, string role) =>
        new(CfFailure.InsecureEndpoint, CfErrorKind.Insecure,
            $"Refusing to send credentials or tokens to {endpoint.Host} over unencrypted http ({role}, {endpoint.GetLeftPart(UriPartial.Authority)}): " +
            "anyone on the network path could read them. Use the https endpoint; nothing was sent.", endpoint.Host);

    public static CfException InvalidProxy(string text, string problem) =>
        new(CfFailure.InvalidProxy, CfErrorKind.InvalidArgument, $"'{text}' cannot be used as a proxy: {problem}.", text);

    public static CfException ProxyAuthenticationFailed(Uri? requested) =>
        new(CfFailure.ProxyAuthenticationFailed, CfErrorKind.Authentication,
            $"The proxy refused the request for {requested?.GetLeftPart(UriPartial.Authority) ?? "the endpoint"} with 407 Proxy Authentication Required: " +
            "it wants credentials, and none were given or it did not accept them.", requested) { StatusCode = 407 };

    // ------------------------------------------------------------------ apps

    public static CfException AppNotFound(string name, string where, CfException? cause = null) =>
        cause?.As(CfFailure.AppNotFound, name, $"App '{name}' not found in {where}, or you cannot see it.", CfErrorKind.NotFound)
        ?? new CfException(CfFailure.AppNotFound, CfErrorKind.NotFound, $"App '{name}' not found in {where}, or you cannot see it.", name);

    public static CfException ProcessNotFound(string appName, string type, CfException cause) =>
        cause.As(CfFailure.ProcessNotFound, type, $"App '{appName}' has no process of type '{type}'.");

    /// <summary>Where an app was looked for, for messages: <c>space 's' of org 'o'</c>.</summary>
    public static string SpaceOf(CfTarget? target) => target is null ? "its space" : $"space '{target.Space}' of org '{target.Organization}'";

    // ------------------------------------------------------------------ tasks

    public static CfException TaskNotFound(object target, string what, CfException? cause = null) =>
        cause?.As(CfFailure.TaskNotFound, target, $"Task {what} not found, or you cannot see it.", CfErrorKind.NotFound)
        ?? new CfException(CfFailure.TaskNotFound, CfErrorKind.NotFound, $"Task {what} not found, or you cannot see it.", target);

    public static CfException SequenceIdNotFound(int sequenceId, string appName) =>
        TaskNotFound(sequenceId, $"sequence id {sequenceId} of app '{appName}'");

    public static CfException TaskGone(CfTask task) =>
        new(CfFailure.TaskNotFound, CfErrorKind.NotFound, $"Task {Describe(task)} no longer exists, or you cannot see it.", task);

    public static CfException SequenceIdNeedsApp(object sequenceIds) =>
        new(CfFailure.SequenceIdNeedsApp, CfErrorKind.InvalidArgument, "Sequence ids are numbered per app: the app must be named to look tasks up by sequence id.", sequenceIds);

    public static CfException InvalidRequestId(string requestId) =>
        new(CfFailure.InvalidRequestId, CfErrorKind.InvalidArgument,
            $"'{requestId}' is not a valid request id: use 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit.", requestId);

    public static CfException NoTaskCommand(CfApp app, CfException cause) =>
        new(CfFailure.NoTaskCommand, CfErrorKind.InvalidArgument,
            $"App '{app.Name}' has no 'task' process to take the command from, and no command was given.", app, cause);

    public static CfException TaskRejected(string appName, CfException cause) =>
        cause.As(CfFailure.TaskRejected, appName,
            $"Cloud Foundry did not start the task on app '{appName}': {string.Join("; ", cause.Errors.Select(e => e.Detail).DefaultIfEmpty(cause.Message))}");

    public static CfException MayNotStart(string appName, CfException cause) =>
        cause.As(CfFailure.PermissionDenied, appName, $"You may not start tasks on app '{appName}': {cause.Message}");

    public static CfException TaskWorkersUnavailable(string appName, CfException cause) =>
        cause.As(CfFailure.TaskWorkersUnavailable, appName, $"Cloud Foundry could not hand the task on app '{appName}' to its task workers: {cause.Message}");

    public static CfException TaskNotStarted(string appName, string label, int attempts, CfException lastError) =>
        new(CfFailure.TaskNotStarted, lastError.Kind == CfErrorKind.Timeout ? CfErrorKind.Timeout : CfErrorKind.Server,
            $"Could not start a task on app '{appName}': {attempts} attempt(s) failed without an answer ({lastError.Message}), and no task labelled {label} exists, so none was started.",
            appName, lastError);

    public static CfException TaskStartUnconfirmed(string appName, string label, CfException lastError, CfException lookupError) =>
        new(CfFailure.TaskStartUnconfirmed, lastError.Kind == CfErrorKind.Timeout ? CfErrorKind.Timeout : CfErrorKind.Server,
            $"Could not confirm whether a task was started on app '{appName}': the start failed without an answer ({lastError.Message}) and looking it up failed too ({lookupError.Message}). " +
            $"Check for a task labelled {label} before starting it again.",
            appName, lastError);

    public static CfException TaskNotCancelable(CfTask task, CfTaskState state, CfException cause) =>
        new(CfFailure.TaskNotCancelable, CfErrorKind.InvalidOperation, $"Task {Describe(task)} is {state} and therefore cannot be canceled.", task, cause)
        {
            StatusCode = cause.StatusCode,
            Errors = cause.Errors,
        };

    public static CfException MayNotCancel(CfTask task, CfException cause) =>
        cause.As(CfFailure.PermissionDenied, task, $"You may not cancel task {Describe(task)}: {cause.Message}");

    public static CfException TaskWaitTimeout(CfTask task, TimeSpan? timeout) =>
        new(CfFailure.TaskWaitTimeout, CfErrorKind.Timeout, $"Task {Describe(task)} is still {task.State} after {timeout?.TotalSeconds:0.#} s.", task);

    public static CfException TaskFailed(CfTask task) =>
        new(CfFailure.TaskFailed, CfErrorKind.TaskFailed, $"Task {Describe(task)} failed: {FailureOf(task)}", task);

    /// <summary>Several waited-for tasks failed: one error naming each (the tasks are its target); one task is <see cref="TaskFailed(CfTask)"/>.</summary>
    public static CfException TasksFailed(IReadOnlyList<CfTask> tasks) => tasks.Count == 1
        ? TaskFailed(tasks[0])
        : new(CfFailure.TaskFailed, CfErrorKind.TaskFailed,
            $"{tasks.Count} tasks failed: " + string.Join("; ", tasks.Select(t => $"task {Describe(t)}: {FailureOf(t)}")), tasks.ToArray());

    private static string FailureOf(CfTask task) => task.FailureReason ?? "no reason given";

    // ------------------------------------------------------------------ tasks as records

    public static CfException InvalidMetadata(string kind, string key, string problem) =>
        new(CfFailure.InvalidMetadata, CfErrorKind.InvalidArgument, $"The {kind} '{key}' is not valid in Cloud Foundry: {problem}.", key);

    public static CfException MetadataRejected(CfTask task, CfException cause) =>
        cause.As(CfFailure.MetadataRejected, task,
            $"Cloud Foundry did not change the labels and annotations of task {Describe(task)}: {string.Join("; ", cause.Errors.Select(e => e.Detail).DefaultIfEmpty(cause.Message))}");

    public static CfException MayNotUpdate(CfTask task, CfException cause) =>
        cause.As(CfFailure.PermissionDenied, task, $"You may not change the labels and annotations of task {Describe(task)}: {cause.Message}");

    public static CfException NothingToUpdate(object target) =>
        new(CfFailure.NothingToUpdate, CfErrorKind.InvalidArgument, "No label or annotation to set or remove was given.", target);

    public static CfException InvalidLabelSelector(string selector, CfException cause) =>
        cause.As(CfFailure.InvalidLabelSelector, selector,
            $"Cloud Foundry rejected the label selector '{selector}': {string.Join("; ", cause.Errors.Select(e => e.Detail).DefaultIfEmpty(cause.Message))}");

    public static CfException InvalidTimeRange(DateTimeOffset createdAfter, DateTimeOffset createdBefore) =>
        new(CfFailure.InvalidTimeRange, CfErrorKind.InvalidArgument,
            $"The creation-time range is empty: its start ({Utc(createdAfter)}) is later than its end ({Utc(createdBefore)}).",
            new[] { createdAfter, createdBefore });

    public static CfException DropletNotFound(string dropletGuid, string appName, CfException cause) =>
        cause.As(CfFailure.DropletNotFound, dropletGuid,
            $"Droplet {dropletGuid} not found for app '{appName}': it does not exist, belongs to another app, or you cannot see it.", CfErrorKind.NotFound);

    private static string Utc(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>How messages name a task: <c>3 (migrate) of app 'billing'</c>.</summary>
    public static string Describe(CfTask task) => $"{task.SequenceId} ({task.Name}) of app '{task.AppName ?? task.AppGuid}'";

    // ------------------------------------------------------------------ logs

    public static CfException LogCacheNotAvailable(Uri api) =>
        new(CfFailure.LogCacheNotAvailable, CfErrorKind.InvalidOperation,
            $"The foundation at {api} does not advertise a log-cache endpoint (no log_cache link in its root document), so task logs cannot be read.", api);

    public static CfException LogsNotFound(string sourceId) =>
        new(CfFailure.LogsNotFound, CfErrorKind.NotFound,
            $"Failed to retrieve logs from Log Cache: it answered 404 for app {sourceId} even with a renewed token. " +
            "The app may have been deleted, you may not be allowed to read its logs, or log-cache does not accept this session's token.",
            sourceId) { StatusCode = 404 };

    public static CfException LogCacheFailed(string sourceId, CfException cause) =>
        cause.As(cause.StatusCode is 429 or >= 500 ? CfFailure.LogCacheUnavailable : cause.Failure, sourceId,
            "Failed to retrieve logs from Log Cache: " + cause.Message);
}
