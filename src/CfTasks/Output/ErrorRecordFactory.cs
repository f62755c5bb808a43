using System.Management.Automation;
using CfTasks.Client.Errors;

namespace CfTasks.Output;

/// <summary>
/// The one place failures become ErrorRecords: a stable ErrorId, the category that fits, and the object the failure is
/// about. Messages come from the client, which never puts a secret into them.
/// </summary>
internal static class ErrorRecordFactory
{
    public static ErrorRecord From(Exception error, object? target = null)
    {
        return error switch
        {
            CfException cf => Create(cf, cf.ErrorId, Category(cf.Kind), target ?? cf.Target),
            ArgumentException argument => Create(argument, "CfInvalidArgument", ErrorCategory.InvalidArgument, target),
            _ => Create(error, "CfUnexpectedError", ErrorCategory.NotSpecified, target),
        };
    }

    public static ErrorRecord Create(Exception error, string errorId, ErrorCategory category, object? target)
    {
        var record = new ErrorRecord(error, errorId, category, target);
        if (error is CfException { Kind: CfErrorKind.NotConnected or CfErrorKind.Authentication })
            record.ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = "Run Connect-CfTarget." };
        return record;
    }

    public static ErrorRecord NotConnected() => Create(
        new CfException(CfErrorKind.NotConnected, "CfNotConnected",
            "Not connected to Cloud Foundry. Run Connect-CfTarget first (or pass -Target)."),
        "CfNotConnected", ErrorCategory.InvalidOperation, null);

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
        _ => ErrorCategory.NotSpecified,
    };
}
