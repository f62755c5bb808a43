using System.Management.Automation;
using CfTasks.Client.Errors;

namespace CfTasks.Output;

/// <summary>
/// The one place failures become ErrorRecords. The client says what happened (<see cref="CfFailure"/>, kind, target,
/// words without PowerShell in them); this catalogue gives each failure its stable ErrorId (<c>Cf</c> + the failure's
/// name: scripts and tests key on it), the ErrorCategory of its kind, and the advice in PowerShell terms (which cmdlet or
/// parameter helps), which is appended to the message and set as the record's RecommendedAction. The failures only the
/// cmdlets can have (no connection, a missing parameter) are made here too.
/// </summary>
internal static class ErrorCatalog
{
    /// <summary>The record for any exception a cmdlet meets; <paramref name="target"/> overrides the exception's own.</summary>
    public static ErrorRecord From(Exception error, object? target = null, Type? command = null) => error switch
    {
        CfException cf => Create(WithAdvice(cf), "Cf" + cf.Failure, Category(cf.Kind), target ?? cf.Target, command),
        ArgumentException argument => Create(argument, "CfInvalidArgument", ErrorCategory.InvalidArgument, target, command),
        _ => Create(error, "CfUnexpectedError", ErrorCategory.NotSpecified, target, command),
    };

    /// <summary>No connection to act on.</summary>
    public static ErrorRecord NotConnected() => From(new CfException(CfFailure.NotConnected, CfErrorKind.NotConnected, "Not connected to Cloud Foundry."));

    /// <summary>The target given (or piped) was closed: Disconnect-CfTarget, or replaced by connecting again as the same user.</summary>
    public static ErrorRecord ConnectionClosed(CfTarget target) =>
        From(new CfException(CfFailure.NotConnected, CfErrorKind.NotConnected,
            $"Not connected: the connection to {target.ApiEndpoint} as {target.User} was closed (disconnected, or replaced by connecting again as the same user).", target));

    /// <summary>Connect-CfTarget found no API endpoint.</summary>
    public static ErrorRecord NoApiEndpoint() =>
        From(new CfException(CfFailure.NoApiEndpoint, CfErrorKind.InvalidArgument, "No API endpoint: give -ApiEndpoint (e.g. https://api.sys.example.com) or set CF_API."));

    /// <summary>Connect-CfTarget found no usable credentials.</summary>
    public static ErrorRecord NoCredential(string message, object? target) =>
        From(new CfException(CfFailure.NoCredential, CfErrorKind.InvalidArgument, message, target));

    /// <summary>Set-CfTarget without an organization or a space.</summary>
    public static ErrorRecord NothingToTarget() =>
        From(new CfException(CfFailure.NothingToTarget, CfErrorKind.InvalidArgument, "Give -Organization, -Space or both."));

    /// <summary>Connect-CfTarget needs a one-time passcode and this session cannot prompt for one.</summary>
    public static ErrorRecord PasscodeNeeded(Uri passcodePage) =>
        From(new CfException(CfFailure.NoCredential, CfErrorKind.InvalidArgument,
            $"A one-time passcode is needed, and this session cannot prompt for one. Get one at {passcodePage} and give it with -Passcode.", passcodePage));

    /// <summary>-ProxyCredential or -ProxyUseDefaultCredentials without -Proxy (Invoke-RestMethod refuses it too).</summary>
    public static ErrorRecord ProxyCredentialWithoutProxy() =>
        From(new CfException(CfFailure.InvalidProxy, CfErrorKind.InvalidArgument,
            "-ProxyCredential and -ProxyUseDefaultCredentials are for the proxy given with -Proxy; give -Proxy too.", "Proxy"));

    /// <summary>What to do about a failure, in PowerShell terms; null when the message says it all.</summary>
    public static string? Advice(CfException error) => error.Failure switch
    {
        CfFailure.NotConnected => "Run Connect-CfTarget first (or pass -Target).",
        CfFailure.NoSpaceTargeted => "Run Set-CfTarget -Organization <org> -Space <space> (or Connect-CfTarget with -Organization and -Space).",
        CfFailure.NoOrganizationTargeted => "Name one with -Organization.",
        CfFailure.InvalidApiEndpoint => "Give the API endpoint as for 'cf api': its host name (api.<system domain>) or its https URL.",
        CfFailure.ConfigNotFound => "Log in with 'cf login' first, or set CF_HOME (or -CfHome) to the folder that holds .cf/config.json.",
        CfFailure.ConfigNotLoggedIn => "Log in with 'cf login' first.",
        CfFailure.AuthenticationFailed or CfFailure.SessionExpired => "Run Connect-CfTarget again.",
        CfFailure.CertificateNotTrusted => "Install the foundation's CA certificate, or connect with -SkipCertificateValidation if you accept the risk.",
        CfFailure.SequenceIdNeedsApp => "Name the app with -AppName (or pipe it from Get-CfApp) to use -SequenceId.",
        CfFailure.NoTaskCommand => "Give -Command, or -Process <type> to use another process as the template.",
        CfFailure.LogsNotFound => "If the app exists, run Connect-CfTarget again.",
        CfFailure.InsecureEndpoint => "Connect to the https endpoint, or add -AllowUnencryptedAuthentication if you accept that credentials and tokens cross the network unencrypted.",
        CfFailure.InvalidProxy => "Give -Proxy as a URL such as http://proxy.example.com:3128 (or fix HTTPS_PROXY / HTTP_PROXY), with -ProxyCredential or -ProxyUseDefaultCredentials, not both.",
        CfFailure.ProxyAuthenticationFailed => "Give the proxy's user and password with -ProxyCredential (or -ProxyUseDefaultCredentials), or as user:password@ in HTTPS_PROXY.",
        CfFailure.NothingToUpdate => "Give -Label or -Annotation with at least one key (a key set to $null removes it).",
        CfFailure.InvalidTimeRange => "Give a -CreatedAfter earlier than -CreatedBefore.",
        CfFailure.InvalidLabelSelector => "Write requirements such as build=4711, env in (prod,stage) or !temp, separated by commas, without spaces around '=' (Get-Help Get-CfTask -Parameter LabelSelector).",
        CfFailure.DropletNotFound => "Give the guid of one of the app's droplets ('cf droplets APP' lists them), or leave out -Droplet to use its current one.",
        _ => null,
    };

    public static ErrorCategory Category(CfErrorKind kind) => kind switch
    {
        CfErrorKind.NotConnected => ErrorCategory.InvalidOperation,
        CfErrorKind.Authentication => ErrorCategory.AuthenticationError,
        CfErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        CfErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        CfErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        CfErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
        CfErrorKind.Connection => ErrorCategory.ConnectionError,
        CfErrorKind.Timeout => ErrorCategory.OperationTimeout,
        CfErrorKind.Protocol => ErrorCategory.InvalidResult,
        CfErrorKind.Server => ErrorCategory.ResourceUnavailable,
        CfErrorKind.Certificate => ErrorCategory.SecurityError,
        CfErrorKind.TaskFailed => ErrorCategory.InvalidResult,
        CfErrorKind.Insecure => ErrorCategory.SecurityError,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>The client's exception told with its advice (same facts, the original as the cause).</summary>
    private static CfException WithAdvice(CfException error) =>
        Advice(error) is { } advice && !error.Message.EndsWith(advice, StringComparison.Ordinal)
            ? error.As(error.Failure, error.Target, $"{error.Message} {advice}")
            : error;

    /// <summary>
    /// A record; with <paramref name="command"/> its FullyQualifiedErrorId names the cmdlet, as PowerShell does for the
    /// records a cmdlet writes itself (needed where a record ends a script from outside the cmdlet's own write).
    /// </summary>
    private static ErrorRecord Create(Exception error, string errorId, ErrorCategory category, object? target, Type? command)
    {
        var record = new ErrorRecord(error, command is null ? errorId : $"{errorId},{command.FullName}", category, target);
        if (error is CfException cf && Advice(cf) is { } advice) record.ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = advice };
        return record;
    }
}
