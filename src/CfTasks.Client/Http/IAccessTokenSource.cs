namespace CfTasks.Client.Http;

/// <summary>Where the auth handler gets the bearer token it attaches, and asks for a new one when an API rejected it.</summary>
internal interface IAccessTokenSource
{
    /// <summary>A token valid for a while yet (renewed first when it is about to expire).</summary>
    ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken);

    /// <summary>The API rejected <paramref name="rejectedToken"/>: a renewed token (once, shared by concurrent callers).</summary>
    Task<string> RenewAfterRejectionAsync(string rejectedToken, CancellationToken cancellationToken);
}
