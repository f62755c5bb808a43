using CfTasks.Client.Models;

namespace CfTasks.Client.Errors;

/// <summary>
/// Every failure the client reports. <see cref="ErrorId"/> is stable (scripts and tests key on it); the message is for
/// people and never carries a password, client secret or token.
/// </summary>
public class CfException : Exception
{
    /// <summary>Creates an exception.</summary>
    public CfException(CfErrorKind kind, string errorId, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        ErrorId = errorId;
        Target = target;
    }

    /// <summary>What kind of failure this is.</summary>
    public CfErrorKind Kind { get; }

    /// <summary>A stable identifier such as <c>CfAppNotFound</c>.</summary>
    public string ErrorId { get; }

    /// <summary>The object the failure is about (a name, a guid, a task, a URI).</summary>
    public object? Target { get; init; }

    /// <summary>The HTTP status, when the failure came from a response.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The CC errors from the response body, when there were any.</summary>
    public IReadOnlyList<CfErrorItem> Errors { get; init; } = [];

    /// <summary>The first CC error code, if any (e.g. 10010 for ResourceNotFound).</summary>
    public int? CfCode => Errors.Count > 0 ? Errors[0].Code : null;

    /// <summary>The first CC error title, if any (e.g. <c>CF-ResourceNotFound</c>).</summary>
    public string? CfTitle => Errors.Count > 0 ? Errors[0].Title : null;

    /// <summary>A copy that names a different ErrorId and target (services refine generic API errors).</summary>
    public CfException WithContext(string errorId, object? target, string? message = null) =>
        new(Kind, errorId, message ?? Message, target, InnerException ?? this) { StatusCode = StatusCode, Errors = Errors };
}
