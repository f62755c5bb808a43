namespace CfTasks.Client.Errors;

/// <summary>What kind of failure a <see cref="CfException"/> is; the cmdlets turn it into an ErrorCategory.</summary>
public enum CfErrorKind
{
    /// <summary>No connection, or no org/space targeted on it.</summary>
    NotConnected,
    /// <summary>Credentials or tokens rejected; connect again.</summary>
    Authentication,
    /// <summary>The caller may not do this (403).</summary>
    PermissionDenied,
    /// <summary>The named thing does not exist or is not visible.</summary>
    NotFound,
    /// <summary>Cloud Foundry rejected the request's values (400/422).</summary>
    InvalidArgument,
    /// <summary>The thing is in a state that does not allow the operation (e.g. cancelling a finished task).</summary>
    InvalidOperation,
    /// <summary>The endpoint could not be reached.</summary>
    Connection,
    /// <summary>The endpoint did not answer in time.</summary>
    Timeout,
    /// <summary>The endpoint answered, but not like Cloud Foundry (HTML, malformed JSON, wrong document).</summary>
    Protocol,
    /// <summary>Cloud Foundry failed (5xx) or is rate limiting us after retries.</summary>
    Server,
    /// <summary>The server's TLS certificate was not trusted.</summary>
    Certificate,
    /// <summary>A task ended Failed (e.g. under -Wait).</summary>
    TaskFailed,
    /// <summary>Going on would send credentials or tokens where they are not protected; nothing was sent.</summary>
    Insecure,
}
