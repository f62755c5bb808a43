namespace CfTasks.Client.Errors;

/// <summary>
/// What went wrong, as a fact a caller can act on. Every <see cref="CfException"/> names one; the PowerShell layer
/// turns it into a stable ErrorId (<c>Cf</c> + the name, e.g. <c>CfAppNotFound</c>), a category and advice.
/// </summary>
public enum CfFailure
{
    // ---- connecting and targeting
    /// <summary>No connection to act on (nothing connected, or it was disconnected).</summary>
    NotConnected,
    /// <summary>No API endpoint was given.</summary>
    NoApiEndpoint,
    /// <summary>No credentials were given or found.</summary>
    NoCredential,
    /// <summary>Targeting was asked for without naming an organization or a space.</summary>
    NothingToTarget,
    /// <summary>No space is targeted on the connection.</summary>
    NoSpaceTargeted,
    /// <summary>No organization is targeted on the connection.</summary>
    NoOrganizationTargeted,
    /// <summary>The API endpoint is not a usable URL.</summary>
    InvalidApiEndpoint,
    /// <summary>The cf CLI's config.json was not found.</summary>
    ConfigNotFound,
    /// <summary>The cf CLI's config.json is not valid JSON.</summary>
    ConfigUnreadable,
    /// <summary>The cf CLI's config.json has a version CfTasks does not understand.</summary>
    ConfigUnsupported,
    /// <summary>The cf CLI's config.json holds no login.</summary>
    ConfigNotLoggedIn,
    /// <summary>UAA rejected the credentials.</summary>
    AuthenticationFailed,
    /// <summary>The tokens could not be renewed; a new sign-in is needed.</summary>
    SessionExpired,
    /// <summary>The caller may not do this (403).</summary>
    PermissionDenied,
    /// <summary>A link pointed at a host that is not one of the foundation's endpoints; nothing was sent to it.</summary>
    UntrustedLink,

    // ---- things that are not there
    /// <summary>An organization of that name does not exist or is not visible.</summary>
    OrganizationNotFound,
    /// <summary>A space of that name does not exist or is not visible.</summary>
    SpaceNotFound,
    /// <summary>An app of that name does not exist or is not visible.</summary>
    AppNotFound,
    /// <summary>The app has no process of that type.</summary>
    ProcessNotFound,
    /// <summary>The task does not exist or is not visible.</summary>
    TaskNotFound,
    /// <summary>log-cache has no logs for the app, or does not let the caller read them.</summary>
    LogsNotFound,
    /// <summary>Something else Cloud Foundry reported as not found (404).</summary>
    NotFound,

    // ---- tasks
    /// <summary>No command given and the app has no <c>task</c> process to take one from.</summary>
    NoTaskCommand,
    /// <summary>Cloud Foundry refused to create the task (its 4xx words are in the message).</summary>
    TaskRejected,
    /// <summary>The start's idempotency key is not a valid label value.</summary>
    InvalidRequestId,
    /// <summary>Cloud Foundry could not hand the task to its workers (CF-TaskWorkersUnavailable).</summary>
    TaskWorkersUnavailable,
    /// <summary>Every start attempt failed without an answer, and no task was created.</summary>
    TaskNotStarted,
    /// <summary>A start failed without an answer and whether it created a task could not be checked.</summary>
    TaskStartUnconfirmed,
    /// <summary>The task has finished and cannot be cancelled.</summary>
    TaskNotCancelable,
    /// <summary>A wait ended before the task did.</summary>
    TaskWaitTimeout,
    /// <summary>The task ended Failed.</summary>
    TaskFailed,
    /// <summary>Sequence ids were given without an app (they are numbered per app).</summary>
    SequenceIdNeedsApp,

    // ---- tasks as records: labels, annotations, droplets, time filters
    /// <summary>A label or annotation breaks Cloud Foundry's rules for keys and values (checked before sending).</summary>
    InvalidMetadata,
    /// <summary>Cloud Foundry refused a change of a task's labels or annotations (its 422 words are in the message).</summary>
    MetadataRejected,
    /// <summary>A change of labels and annotations was asked for without any label or annotation.</summary>
    NothingToUpdate,
    /// <summary>Cloud Foundry rejected a label selector (its 400 words are in the message).</summary>
    InvalidLabelSelector,
    /// <summary>A creation-time range whose start is later than its end.</summary>
    InvalidTimeRange,
    /// <summary>The droplet to run a task on does not exist, belongs to another app, or is not visible.</summary>
    DropletNotFound,

    // ---- logs
    /// <summary>The foundation has no log-cache endpoint.</summary>
    LogCacheNotAvailable,
    /// <summary>log-cache kept failing (5xx or rate limiting).</summary>
    LogCacheUnavailable,

    // ---- transport and protocol
    /// <summary>The endpoint could not be reached.</summary>
    ConnectionFailed,
    /// <summary>The endpoint's TLS certificate is not trusted.</summary>
    CertificateNotTrusted,
    /// <summary>A request did not answer in time.</summary>
    RequestTimeout,
    /// <summary>The answer is not what Cloud Foundry sends (HTML, malformed JSON, the wrong document).</summary>
    UnexpectedResponse,
    /// <summary>Cloud Foundry failed (5xx) after retries.</summary>
    ServerError,
    /// <summary>Cloud Foundry kept rate limiting (429) after retries.</summary>
    RateLimited,
    /// <summary>Cloud Foundry rejected the request's values (400/422).</summary>
    RequestRejected,
    /// <summary>Cloud Foundry reported a conflict (409).</summary>
    Conflict,

    // ---- connecting safely (issue 14)
    /// <summary>Credentials or tokens would cross the network unencrypted (plain http to a host that is not loopback); nothing was sent.</summary>
    InsecureEndpoint,
    /// <summary>The proxy settings cannot be used (a malformed proxy URL, or proxy credentials without a proxy).</summary>
    InvalidProxy,
    /// <summary>The proxy demanded credentials (407) and did not accept the ones given, or none were given.</summary>
    ProxyAuthenticationFailed,
}
