using CfTasks.Client.Models;

namespace CfTasks.Client.Errors;

/// <summary>
/// Every failure the client reports, as facts: what went wrong (<see cref="Failure"/>), of which kind, about what
/// (<see cref="Target"/>), and the HTTP status and Cloud Foundry errors when an answer said so. The message is for
/// people, names no PowerShell parameter, and never carries a password, client secret or token.
/// </summary>
public class CfException : Exception
{
    /// <summary>Creates an exception.</summary>
    public CfException(CfFailure failure, CfErrorKind kind, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        Kind = kind;
        Target = target;
    }

    /// <summary>What went wrong.</summary>
    public CfFailure Failure { get; }

    /// <summary>What kind of failure this is.</summary>
    public CfErrorKind Kind { get; }

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

    /// <summary>
    /// The same answer told as a more specific failure (a service refines a generic 404 into "app not found"): keeps
    /// the status and CC errors, and this exception as the cause.
    /// </summary>
    public CfException As(CfFailure failure, object? target, string? message = null, CfErrorKind? kind = null) =>
        new(failure, kind ?? Kind, message ?? Message, target, InnerException ?? this) { StatusCode = StatusCode, Errors = Errors };
}
