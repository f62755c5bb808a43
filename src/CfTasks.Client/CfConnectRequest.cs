namespace CfTasks.Client;

/// <summary>What a connection is made with: the API endpoint, how to sign in, what to target, and the client's settings.</summary>
public sealed record CfConnectRequest(Uri ApiEndpoint, CfCredential Credential)
{
    /// <summary>Organization to target, by name.</summary>
    public string? Organization { get; init; }
    /// <summary>Space to target, by name (needs an organization).</summary>
    public string? Space { get; init; }
    /// <summary>
    /// The foundation's endpoints when the caller already discovered them (<see cref="CfSession.DiscoverAsync"/>, e.g. to
    /// show the passcode page before asking for a passcode); null discovers them from the root document.
    /// </summary>
    public CfEndpoints? Endpoints { get; init; }
    /// <summary>Timeouts, retries, certificate policy, OAuth client, proxy.</summary>
    public CfClientOptions Options { get; init; } = new();
}
