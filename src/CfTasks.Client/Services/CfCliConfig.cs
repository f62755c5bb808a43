using System.Runtime.InteropServices;
using System.Text.Json;
using CfTasks.Client.Errors;
using CfTasks.Client.Models;

namespace CfTasks.Client.Services;

/// <summary>The cf CLI's own login, read from its <c>config.json</c> (ConfigVersion 4), to connect without a password.</summary>
public static class CfCliConfig
{
    /// <summary>
    /// Where the cf CLI keeps its config: <paramref name="cfHome"/> when given, else where the cf CLI itself looks
    /// (<see cref="PathFor(string?, Func{string, string?}, bool)"/>).
    /// </summary>
    public static string PathFor(string? cfHome) =>
        PathFor(cfHome, Environment.GetEnvironmentVariable, RuntimeInformation.IsOSPlatform(OSPlatform.Windows));

    /// <summary>
    /// <c>.cf/config.json</c> under the folder the cf CLI uses (<c>util/configv3/home_dir*.go</c>): <c>CF_HOME</c>; else on
    /// Windows <c>HOMEDRIVE</c> + <c>HOMEPATH</c>, then <c>USERPROFILE</c>; elsewhere <c>HOME</c>. The user profile
    /// folder .NET reports is the last resort.
    /// </summary>
    public static string PathFor(string? cfHome, Func<string, string?> environment, bool windows)
    {
        string? Variable(string name) => environment(name) is { Length: > 0 } value ? value : null;
        var home = !string.IsNullOrEmpty(cfHome) ? cfHome!
            : Variable("CF_HOME")
              ?? (windows
                  ? (Variable("HOMEDRIVE") + Variable("HOMEPATH") is { Length: > 0 } drivePath ? drivePath : Variable("USERPROFILE"))
                  : Variable("HOME"))
              ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".cf", "config.json");
    }

    /// <summary>The file read, checked and turned into what a connection needs (its tokens, endpoint, target and settings).</summary>
    public static async Task<(CfConnectRequest Request, CfConfigFile Config)> ReadAsync(string path, CfClientOptions options, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) throw CfErrors.ConfigNotFound(path);

        CfConfigFile? config;
        try
        {
            using var file = File.OpenRead(path);
            config = await JsonSerializer.DeserializeAsync(file, CfConfigJsonContext.Default.CfConfigFile, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException error)
        {
            throw CfErrors.ConfigUnreadable(path, error);
        }

        if (config is null || config.ConfigVersion != 4) throw CfErrors.ConfigUnsupported(path, config?.ConfigVersion);
        if (string.IsNullOrWhiteSpace(config.Target) || string.IsNullOrWhiteSpace(config.AccessToken)) throw CfErrors.ConfigNotLoggedIn(path);

        var request = new CfConnectRequest(CfApiEndpoint.Parse(config.Target!), new CfCredential.ExistingTokens(config.AccessToken!, config.RefreshToken, config.UAAGrantType))
        {
            Options = options with
            {
                SkipCertificateValidation = options.SkipCertificateValidation || config.SSLDisabled,
                OAuthClientId = string.IsNullOrEmpty(config.UAAOAuthClient) ? options.OAuthClientId : config.UAAOAuthClient!,
                OAuthClientSecret = config.UAAOAuthClientSecret ?? "",
            },
        };
        return (request, config);
    }
}
