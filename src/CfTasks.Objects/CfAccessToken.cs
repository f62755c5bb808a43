namespace CfTasks;

/// <summary>
/// A connection's access token, for calling Cloud Foundry endpoints CfTasks does not wrap (what <c>cf oauth-token</c>
/// prints). <see cref="Token"/> is a <see cref="System.Security.SecureString"/>, or a string when asked for as plain
/// text; neither the table and list views nor <see cref="ToString"/> show it.
/// </summary>
public sealed class CfAccessToken
{
    /// <summary>The token: a SecureString (Invoke-RestMethod's <c>-Token</c> takes it), or a string with <c>-AsPlainText</c>.</summary>
    public object Token { get; init; } = "";
    /// <summary>How the token is sent: <c>bearer</c> (the <c>Authorization: bearer &lt;token&gt;</c> header).</summary>
    public string TokenType { get; init; } = "bearer";
    /// <summary>When the token expires, in UTC. It was renewed first if it was about to expire.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>The Cloud Controller API the token is for.</summary>
    public Uri ApiEndpoint { get; init; } = null!;

    /// <inheritdoc />
    public override string ToString() => $"access token ({TokenType}) for {ApiEndpoint}";
}
