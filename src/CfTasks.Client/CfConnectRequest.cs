namespace CfTasks.Client;

/// <summary>What a connection is made with: the API endpoint, how to sign in, what to target, and the client's settings.</summary>
public sealed record CfConnectRequest(Uri ApiEndpoint, CfCredential Credential)
{
    /// <summary>Organization to target, by name.</summary>
    public string? Organization { get; init; }
    /// <summary>Space to target, by name (needs an organization).</summary>
    public string? Space { get; init; }
    /// <summary>Timeouts, retries, certificate policy, OAuth client.</summary>
    public CfClientOptions Options { get; init; } = new();
}
