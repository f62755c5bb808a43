using System.Text.Json;
using CfTasks.Client.Errors;
using CfTasks.Client.Http;
using CfTasks.Client.Models;

namespace CfTasks.Client.Services;

/// <summary>What Connect-CfTarget asks for.</summary>
public sealed record CfConnectRequest(Uri ApiEndpoint, CfCredential Credential)
{
    /// <summary>Organization to target, by name.</summary>
    public string? Organization { get; init; }
    /// <summary>Space to target, by name (needs an organization).</summary>
    public string? Space { get; init; }
    /// <summary>Timeouts, retries, certificate policy, OAuth client.</summary>
    public CfClientOptions Options { get; init; } = new();
}

/// <summary>Connecting, targeting an org and space, and reusing the cf CLI's session.</summary>
public static class TargetService
{
    /// <summary>Discovers the foundation, signs in and targets the org/space; returns the session.</summary>
    public static async Task<CfSession> ConnectAsync(CfConnectRequest request, CancellationToken cancellationToken)
    {
        ValidateApiEndpoint(request.ApiEndpoint);
        var session = await CfSession.OpenAsync(request.ApiEndpoint, request.Credential, request.Options, cancellationToken).ConfigureAwait(false);
        try
        {
            var claims = session.Tokens.Claims;
            session.Target.User = claims?.UserName ?? claims?.ClientId ?? (request.Credential as CfCredential.Password)?.User.UserName
                                  ?? (request.Credential as CfCredential.ClientCredentials)?.Client.UserName;
            if (request.Organization is not null || request.Space is not null)
                await SetTargetAsync(session, request.Organization, request.Space, cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Targets an org (by name) and a space (by name). An org alone targets its only space when it has exactly one, as
    /// <c>cf target -o</c> does. A space alone is looked up in the currently targeted org.
    /// </summary>
    public static async Task SetTargetAsync(CfSession session, string? organization, string? space, CancellationToken cancellationToken)
    {
        var target = session.Target;
        string orgGuid, orgName;
        if (organization is not null)
        {
            var orgs = await CfCall.RunAsync(ct => session.CloudController.ListOrganizations([AppService.EscapeListValue(organization)], 1, 1, ct), cancellationToken).ConfigureAwait(false);
            var org = orgs.Resources?.FirstOrDefault()
                      ?? throw new CfException(CfErrorKind.NotFound, "CfOrganizationNotFound",
                          $"Organization '{organization}' not found on {target.ApiEndpoint}, or you cannot see it.", organization);
            (orgGuid, orgName) = (org.Guid, org.Name);
        }
        else
        {
            (orgGuid, orgName) = (target.OrganizationGuid ?? throw new CfException(CfErrorKind.NotConnected, "CfNoOrganizationTargeted",
                "No organization is targeted. Name one with -Organization.", space), target.Organization!);
        }

        SpaceResource? chosen;
        if (space is not null)
        {
            var spaces = await CfCall.RunAsync(ct => session.CloudController.ListSpaces([AppService.EscapeListValue(space)], [orgGuid], 1, 1, ct), cancellationToken).ConfigureAwait(false);
            chosen = spaces.Resources?.FirstOrDefault()
                     ?? throw new CfException(CfErrorKind.NotFound, "CfSpaceNotFound",
                         $"Space '{space}' not found in organization '{orgName}', or you cannot see it.", space);
        }
        else
        {
            var spaces = await CfCall.RunAsync(ct => session.CloudController.ListSpaces(null, [orgGuid], 1, 2, ct), cancellationToken).ConfigureAwait(false);
            chosen = spaces.Resources is { Count: 1 } only ? only[0] : null;
        }

        target.Organization = orgName;
        target.OrganizationGuid = orgGuid;
        target.Space = chosen?.Name;
        target.SpaceGuid = chosen?.Guid;
    }

    /// <summary>Reuses the session of a user logged in with the cf CLI: reads <c>$CF_HOME/.cf/config.json</c>.</summary>
    public static async Task<CfSession> ConnectFromCfConfigAsync(string? cfHome, CfClientOptions options, CancellationToken cancellationToken)
    {
        var path = CfConfigPath(cfHome);
        if (!File.Exists(path))
            throw new CfException(CfErrorKind.NotConnected, "CfConfigNotFound",
                $"No cf CLI configuration at '{path}'. Log in with 'cf login' first, or set CF_HOME / -CfHome to the folder that holds .cf/config.json.", path);

        CfConfigFile? config;
        try
        {
            using var file = File.OpenRead(path);
            config = await JsonSerializer.DeserializeAsync(file, CfConfigJsonContext.Default.CfConfigFile, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException error)
        {
            throw new CfException(CfErrorKind.InvalidArgument, "CfConfigUnreadable", $"'{path}' is not a cf CLI configuration file: {error.Message}", path, error);
        }

        if (config is null || config.ConfigVersion != 4)
            throw new CfException(CfErrorKind.InvalidArgument, "CfConfigUnsupported",
                $"'{path}' has ConfigVersion {config?.ConfigVersion}; only version 4 (cf CLI 7 and later) is understood.", path);
        if (string.IsNullOrWhiteSpace(config.Target) || string.IsNullOrWhiteSpace(config.AccessToken))
            throw new CfException(CfErrorKind.NotConnected, "CfConfigNotLoggedIn",
                $"'{path}' has no API target or no access token. Log in with 'cf login' first.", path);

        var target = config.Target.Contains("://", StringComparison.Ordinal) ? config.Target : "https://" + config.Target;
        var credential = new CfCredential.ExistingTokens(config.AccessToken, config.RefreshToken, config.UAAGrantType);
        var sessionOptions = options with
        {
            SkipCertificateValidation = options.SkipCertificateValidation || config.SSLDisabled,
            OAuthClientId = string.IsNullOrEmpty(config.UAAOAuthClient) ? options.OAuthClientId : config.UAAOAuthClient,
            OAuthClientSecret = config.UAAOAuthClientSecret ?? "",
        };
        var request = new CfConnectRequest(new Uri(target), credential) { Options = sessionOptions };
        var session = await ConnectAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            if (config.OrganizationFields is { GUID.Length: > 0 } org)
            {
                session.Target.Organization = org.Name;
                session.Target.OrganizationGuid = org.GUID;
                if (config.SpaceFields is { GUID.Length: > 0 } space)
                {
                    session.Target.Space = space.Name;
                    session.Target.SpaceGuid = space.GUID;
                }
            }
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Where the cf CLI keeps its config: <c>$CF_HOME/.cf/config.json</c>, else the home folder's <c>.cf</c>.</summary>
    public static string CfConfigPath(string? cfHome)
    {
        var home = !string.IsNullOrEmpty(cfHome) ? cfHome
            : Environment.GetEnvironmentVariable("CF_HOME") is { Length: > 0 } fromEnv ? fromEnv
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".cf", "config.json");
    }

    /// <summary>An API endpoint must be an absolute http(s) URL.</summary>
    public static void ValidateApiEndpoint(Uri endpoint)
    {
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(endpoint.Host))
            throw new CfException(CfErrorKind.InvalidArgument, "CfInvalidApiEndpoint",
                $"'{endpoint.OriginalString}' is not an API endpoint URL. Give the full URL with its scheme, e.g. https://api.example.com.", endpoint.OriginalString);
    }
}
