using System.Management.Automation;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CfTasks.Tests.Infrastructure;

namespace CfTasks.Tests;

/// <summary>Tests that change process environment variables run alone, so no other test sees them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "process environment";
}

/// <summary>Connect-CfTarget with no credential parameters (CF_* variables, as a pipeline step) and -FromCfConfig.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class ConnectionEnvironmentTests : IClassFixture<FakeFixture>, IDisposable
{
    private static readonly string[] Variables =
        ["CF_API", "CF_USERNAME", "CF_PASSWORD", "CF_CLIENT_ID", "CF_CLIENT_SECRET", "CF_ORG", "CF_SPACE", "CF_HOME", "CF_ASSERTION", "CF_DIAL_TIMEOUT",
         "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "HOME"];

    private readonly FakeFixture _fixture;
    private readonly PowerShellSession _ps = new();
    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    private readonly string _home = Directory.CreateTempSubdirectory("cftasks-cfhome-").FullName;

    public ConnectionEnvironmentTests(FakeFixture fixture)
    {
        _fixture = fixture;
        fixture.Fake.State.Reset();
        foreach (var name in Variables.Where(v => v != "HOME")) Environment.SetEnvironmentVariable(name, null);
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        _ps.Dispose();
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public void With_no_parameters_cf_variables_connect_a_pipeline_step()
    {
        Environment.SetEnvironmentVariable("CF_API", _fixture.Api);
        Environment.SetEnvironmentVariable("CF_USERNAME", "developer");
        Environment.SetEnvironmentVariable("CF_PASSWORD", "developer-password");
        Environment.SetEnvironmentVariable("CF_ORG", "demo-org");
        Environment.SetEnvironmentVariable("CF_SPACE", "other-space");

        var result = _ps.Run("Connect-CfTarget");
        Assert.Null(result.FirstError);
        var target = Assert.Single(result.As<CfTarget>());
        Assert.Equal("developer", target.User);
        Assert.Equal("other-space", target.Space);
    }

    [Fact]
    public void Client_variables_win_over_user_variables()
    {
        Environment.SetEnvironmentVariable("CF_API", _fixture.Api);
        Environment.SetEnvironmentVariable("CF_USERNAME", "developer");
        Environment.SetEnvironmentVariable("CF_PASSWORD", "developer-password");
        Environment.SetEnvironmentVariable("CF_CLIENT_ID", "cftasks-ci");
        Environment.SetEnvironmentVariable("CF_CLIENT_SECRET", "ci-client-secret");

        var target = Assert.Single(_ps.Run("Connect-CfTarget -Organization demo-org -Space demo-space").As<CfTarget>());
        Assert.Equal("cftasks-ci", target.User);
    }

    [Fact]
    public void Explicit_parameters_win_over_variables()
    {
        Environment.SetEnvironmentVariable("CF_API", "http://127.0.0.1:9");
        Environment.SetEnvironmentVariable("CF_CLIENT_ID", "cftasks-ci");
        Environment.SetEnvironmentVariable("CF_CLIENT_SECRET", "ci-client-secret");
        Environment.SetEnvironmentVariable("CF_SPACE", "other-space");

        var result = _ps.Connect(_fixture.Api);
        var target = Assert.Single(result.As<CfTarget>());
        Assert.Equal("developer", target.User);
        Assert.Equal("demo-space", target.Space);
    }

    [Fact]
    public void No_credentials_anywhere_is_a_clear_error()
    {
        Environment.SetEnvironmentVariable("CF_API", _fixture.Api);
        var error = Assert.IsType<ErrorRecord>(_ps.Run("Connect-CfTarget").FirstError);
        Assert.StartsWith("CfNoCredential,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("CF_USERNAME", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_cf_config_reuses_the_cf_cli_session_without_a_password()
    {
        var (access, refresh) = IssueTokens("developer", "developer-password");
        var space = _fixture.Fake.State.FindSpace("demo-space")!;
        var org = _fixture.Fake.State.FindOrganization("demo-org")!;
        WriteCfConfig(access, refresh, org.Guid, space.Guid);
        Environment.SetEnvironmentVariable("CF_HOME", _home);
        _fixture.Fake.State.ClearRequests();

        var result = _ps.Run("Connect-CfTarget -FromCfConfig");
        Assert.Null(result.FirstError);
        var target = Assert.Single(result.As<CfTarget>());
        Assert.Equal(new Uri(_fixture.Api), target.ApiEndpoint);
        Assert.Equal("developer", target.User);
        Assert.Equal("demo-space", target.Space);
        Assert.Equal(space.Guid, target.SpaceGuid);
        Assert.DoesNotContain(_fixture.Fake.State.Requests(), r => r.Path.EndsWith("/oauth/token", StringComparison.Ordinal));
    }

    [Fact]
    public void From_cf_config_with_an_expired_token_renews_it_with_the_refresh_token()
    {
        var (access, refresh) = IssueTokens("developer", "developer-password");
        WriteCfConfig(access, refresh, null, null);
        _fixture.Fake.State.ExpireTokens();
        _fixture.Fake.State.ClearRequests();

        var result = _ps.Run($"Connect-CfTarget -FromCfConfig -CfHome '{_home}'; Set-CfTarget -Organization demo-org -Space demo-space -PassThru");
        Assert.Null(result.FirstError);
        Assert.Equal("demo-space", result.As<CfTarget>().Last().Space);
        Assert.Single(_fixture.Fake.State.Requests(), r => r.Path.EndsWith("/oauth/token", StringComparison.Ordinal));
    }

    [Fact]
    public void From_cf_config_without_a_config_file_says_to_log_in()
    {
        var error = Assert.IsType<ErrorRecord>(_ps.Run($"Connect-CfTarget -FromCfConfig -CfHome '{_home}'").FirstError);
        Assert.StartsWith("CfConfigNotFound,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("cf login", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CF_ASSERTION_connects_a_keyless_pipeline_step_after_the_client_and_password_variables()
    {
        Environment.SetEnvironmentVariable("CF_API", _fixture.Api);
        Environment.SetEnvironmentVariable("CF_ORG", "demo-org");
        Environment.SetEnvironmentVariable("CF_SPACE", "demo-space");
        Environment.SetEnvironmentVariable("CF_ASSERTION", _fixture.Fake.State.MintAssertion(new()));

        var keyless = _ps.Run("Connect-CfTarget");
        Assert.Null(keyless.FirstError);
        Assert.Equal("deploy-bot", Assert.Single(keyless.As<CfTarget>()).User);

        Environment.SetEnvironmentVariable("CF_USERNAME", "developer");
        Environment.SetEnvironmentVariable("CF_PASSWORD", "developer-password");
        Assert.Equal("developer", Assert.Single(_ps.Run("Connect-CfTarget").As<CfTarget>()).User);

        Environment.SetEnvironmentVariable("CF_CLIENT_ID", "cftasks-ci");
        Environment.SetEnvironmentVariable("CF_CLIENT_SECRET", "ci-client-secret");
        Assert.Equal("cftasks-ci", Assert.Single(_ps.Run("Connect-CfTarget").As<CfTarget>()).User);
    }

    [Fact]
    public void An_expired_CF_ASSERTION_is_an_authentication_error_with_uaas_words()
    {
        Environment.SetEnvironmentVariable("CF_API", _fixture.Api);
        var expired = _fixture.Fake.State.MintAssertion(new() { ExpiresInSeconds = 0 });
        Environment.SetEnvironmentVariable("CF_ASSERTION", expired);

        var result = _ps.Run("Connect-CfTarget");

        var error = Assert.IsType<ErrorRecord>(result.FirstError);
        Assert.StartsWith("CfAuthenticationFailed,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("EXP claim", error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(expired, result.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void From_cf_config_looks_in_HOME_when_CF_HOME_is_unset_as_the_cf_cli_does_outside_windows()
    {
        if (OperatingSystem.IsWindows()) return; // Windows' rules (HOMEDRIVE + HOMEPATH, USERPROFILE) are checked in CfCliEnvironmentTests
        var (access, refresh) = IssueTokens("developer", "developer-password");
        WriteCfConfig(access, refresh, null, null);
        Environment.SetEnvironmentVariable("HOME", _home);

        var result = _ps.Run("Connect-CfTarget -FromCfConfig");

        Assert.Null(result.FirstError);
        Assert.Equal("developer", Assert.Single(result.As<CfTarget>()).User);
    }

    [Fact]
    public async Task HTTP_PROXY_carries_the_connection_and_NO_PROXY_exempts_hosts_read_when_connecting()
    {
        await using var fake = await FakeCloudFoundry.FakeCloudFoundryServer.StartAsync(new FakeCloudFoundry.FakeServerOptions { LinksFromHostHeader = true });
        var proxy = await fake.StartProxyAsync();
        var api = $"http://api.cf.test:{fake.BaseUrl.Port}";
        Environment.SetEnvironmentVariable("HTTP_PROXY", proxy.Url.ToString());
        var connect = "$c = [pscredential]::new('developer', (ConvertTo-SecureString 'developer-password' -AsPlainText -Force)); " +
                      "Connect-CfTarget $api -Credential $c -Organization demo-org -Space demo-space -AllowUnencryptedAuthentication";

        var proxied = _ps.Run(connect, new Dictionary<string, object?> { ["api"] = api });
        Assert.Null(proxied.FirstError);
        Assert.Equal(fake.State.Requests().Count, proxy.Requests().Count);
        Assert.Contains(proxy.Requests(), r => r.Url == api + "/login/oauth/token");

        proxy.ClearRequests();
        Environment.SetEnvironmentVariable("NO_PROXY", "cf.test");
        var bypassed = _ps.Run(connect, new Dictionary<string, object?> { ["api"] = api });
        var error = Assert.IsType<ErrorRecord>(bypassed.FirstError);
        Assert.StartsWith("CfConnectionFailed,", error.FullyQualifiedErrorId, StringComparison.Ordinal); // api.cf.test resolves only through the proxy
        Assert.Empty(proxy.Requests());
    }

    [Fact]
    public void CF_DIAL_TIMEOUT_bounds_connecting_and_a_value_that_is_not_whole_seconds_is_ignored_with_a_warning()
    {
        // A listener whose accept queue is full: the kernel leaves further connection attempts unanswered.
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen(0);
        var endpoint = (System.Net.IPEndPoint)listener.LocalEndPoint!;
        using var filler = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        filler.Connect(endpoint);
        Environment.SetEnvironmentVariable("CF_DIAL_TIMEOUT", "1");
        var connect = $"$c = [pscredential]::new('u', (ConvertTo-SecureString 'p' -AsPlainText -Force)); Connect-CfTarget http://127.0.0.1:{endpoint.Port} -Credential $c";

        var error = Assert.IsType<ErrorRecord>(_ps.Run(connect).FirstError);
        Assert.StartsWith("CfConnectionFailed,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("connect timeout of 1 s", error.Exception.Message, StringComparison.Ordinal);

        Environment.SetEnvironmentVariable("CF_DIAL_TIMEOUT", "soon");
        Environment.SetEnvironmentVariable("CF_API", _fixture.Api);
        Environment.SetEnvironmentVariable("CF_USERNAME", "developer");
        Environment.SetEnvironmentVariable("CF_PASSWORD", "developer-password");
        var ignored = _ps.Run("Connect-CfTarget");
        Assert.Null(ignored.FirstError);
        Assert.Single(ignored.Warnings, w => w.Contains("CF_DIAL_TIMEOUT 'soon'", StringComparison.Ordinal));
    }

    private (string Access, string Refresh) IssueTokens(string user, string password)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, _fixture.Api + "/login/oauth/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "password"), new("password", password), new("username", user)]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("cf:")));
        using var response = http.Send(request);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(response.Content.ReadAsStream());
        return (body.RootElement.GetProperty("access_token").GetString()!, body.RootElement.GetProperty("refresh_token").GetString()!);
    }

    private void WriteCfConfig(string access, string refresh, string? orgGuid, string? spaceGuid)
    {
        // The shape the cf CLI writes (reference section 9): bearer-prefixed access token, PascalCase keys.
        var config = new Dictionary<string, object?>
        {
            ["ConfigVersion"] = 4,
            ["Target"] = _fixture.Api,
            ["APIVersion"] = "3.228.0",
            ["AuthorizationEndpoint"] = _fixture.Api + "/login",
            ["LogCacheEndPoint"] = _fixture.Api + "/log-cache",
            ["UaaEndpoint"] = _fixture.Api + "/uaa",
            ["AccessToken"] = "bearer " + access,
            ["RefreshToken"] = refresh,
            ["UAAGrantType"] = "",
            ["UAAOAuthClient"] = "cf",
            ["UAAOAuthClientSecret"] = "",
            ["SSLDisabled"] = false,
            ["OrganizationFields"] = orgGuid is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["GUID"] = orgGuid, ["Name"] = "demo-org" },
            ["SpaceFields"] = spaceGuid is null ? new Dictionary<string, object>() : new Dictionary<string, object> { ["GUID"] = spaceGuid, ["Name"] = "demo-space", ["AllowSSH"] = true },
        };
        Directory.CreateDirectory(Path.Combine(_home, ".cf"));
        File.WriteAllText(Path.Combine(_home, ".cf", "config.json"), JsonSerializer.Serialize(config));
    }
}
