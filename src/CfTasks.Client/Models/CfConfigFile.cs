namespace CfTasks.Client.Models;

/// <summary>The parts of the cf CLI's <c>config.json</c> (ConfigVersion 4) that CfTasks reuses. Keys are PascalCase as the CLI writes them.</summary>
public sealed record CfConfigFile
{
    public int ConfigVersion { get; init; }
    public string? Target { get; init; }
    public string? AuthorizationEndpoint { get; init; }
    public string? LogCacheEndPoint { get; init; }
    public string? AccessToken { get; init; }
    public string? RefreshToken { get; init; }
    public string? UAAGrantType { get; init; }
    public string? UAAOAuthClient { get; init; }
    public string? UAAOAuthClientSecret { get; init; }
    public bool SSLDisabled { get; init; }
    public CfConfigNamed? OrganizationFields { get; init; }
    public CfConfigNamed? SpaceFields { get; init; }
}

/// <summary><c>{"GUID": "...", "Name": "..."}</c>.</summary>
public sealed record CfConfigNamed
{
    public string? GUID { get; init; }
    public string? Name { get; init; }
}
