namespace CfTasks;

/// <summary>A connection to one Cloud Foundry foundation, with the org and space that commands act on.</summary>
public sealed class CfTarget
{
    /// <summary>The Cloud Controller API endpoint.</summary>
    public Uri ApiEndpoint { get; init; } = null!;
    /// <summary>The Cloud Controller V3 API version from the root document.</summary>
    public string? ApiVersion { get; init; }
    /// <summary>The signed-in user name, or the client id for a client-credentials connection.</summary>
    public string? User { get; internal set; }
    /// <summary>The targeted organization's name.</summary>
    public string? Organization { get; internal set; }
    /// <summary>The targeted organization's guid.</summary>
    public string? OrganizationGuid { get; internal set; }
    /// <summary>The targeted space's name.</summary>
    public string? Space { get; internal set; }
    /// <summary>The targeted space's guid.</summary>
    public string? SpaceGuid { get; internal set; }
    /// <summary>When the current access token expires. Tokens are renewed before that.</summary>
    public DateTimeOffset? TokenExpiresAt => Session?.TokenExpiresAt;

    /// <summary>The client session behind this target (held as object: the client lives in its own load context).</summary>
    internal ICfTargetSession? Session { get; set; }

    /// <inheritdoc />
    public override string ToString() =>
        Space is null ? ApiEndpoint.ToString() : $"{ApiEndpoint} ({Organization}/{Space})";
}

/// <summary>What a target needs from the session that backs it.</summary>
internal interface ICfTargetSession
{
    DateTimeOffset? TokenExpiresAt { get; }
}
