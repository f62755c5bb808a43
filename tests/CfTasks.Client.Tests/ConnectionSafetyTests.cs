using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using CfTasks.Client.Errors;
using CfTasks.Client.Services;
using FakeCloudFoundry;
using FakeCloudFoundry.Faults;
using FakeCloudFoundry.Proxy;

namespace CfTasks.Client.Tests;

/// <summary>
/// Credentials and tokens only where they belong (issue 14): nothing secret over plain http to a host that is not
/// loopback, the bearer token only to the hosts the root document named, and proxies as the cf CLI and Invoke-RestMethod
/// take them. The fake answers under the name the client used (links from the Host header), so a client addressing
/// <c>http://api.cf.test:PORT</c> can only reach it through the test proxy: a passing test proves the proxy was used.
/// </summary>
public sealed class ConnectionSafetyTests : IAsyncLifetime
{
    private FakeCloudFoundryServer _fake = null!;
    private Uri _proxiedApi = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeCloudFoundryServer.StartAsync(new FakeServerOptions { LinksFromHostHeader = true });
        _proxiedApi = new Uri($"http://api.cf.test:{_fake.BaseUrl.Port}");
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private static CfCredential Developer => new CfCredential.Password(new NetworkCredential("developer", "developer-password"));

    private static Task<CfSession> ConnectAsync(Uri api, CfClientOptions options, CfCredential? credential = null) =>
        CfSession.ConnectAsync(new CfConnectRequest(api, credential ?? Developer)
        {
            Organization = "demo-org",
            Space = "demo-space",
            Options = options,
        }, CancellationToken.None);

    private static CfClientOptions Options => ClientFixture.FastOptions with { MaxRetries = 1 };

    // ----- plain http

    [Theory]
    [InlineData("password")]
    [InlineData("client secret")]
    [InlineData("passcode")]
    [InlineData("assertion")]
    [InlineData("cf CLI tokens")]
    public async Task No_credential_goes_over_plain_http_to_a_host_that_is_not_loopback(string mode)
    {
        var proxy = await _fake.StartProxyAsync();
        CfCredential credential = mode switch
        {
            "password" => Developer,
            "client secret" => new CfCredential.ClientCredentials(new NetworkCredential("cftasks-ci", "ci-client-secret")),
            "passcode" => new CfCredential.Passcode(_fake.State.IssuePasscode("developer")),
            "assertion" => new CfCredential.Assertion(_fake.State.MintAssertion(new())),
            _ => new CfCredential.ExistingTokens(_fake.State.IssueAccessToken("developer"), "0123456789abcdef0123456789abcdef-r", ""),
        };
        proxy.ClearRequests();

        var error = await Assert.ThrowsAsync<CfException>(() => ConnectAsync(_proxiedApi, Options with { Proxy = CfProxy.Create(proxy.Url) }, credential));

        Assert.Equal(CfFailure.InsecureEndpoint, error.Failure);
        Assert.Equal(CfErrorKind.Insecure, error.Kind);
        Assert.Equal("api.cf.test", error.Target);
        Assert.Contains("api.cf.test", error.Message, StringComparison.Ordinal);
        Assert.Empty(proxy.Requests()); // nothing was sent, not even the root document
    }

    [Fact]
    public async Task Allowing_unencrypted_authentication_connects_and_loopback_needs_no_permission()
    {
        var proxy = await _fake.StartProxyAsync();
        using (var proxied = await ConnectAsync(_proxiedApi, Options with { Proxy = CfProxy.Create(proxy.Url), AllowUnencryptedAuthentication = true }))
            Assert.Equal("demo-space", proxied.Target.Space);

        using var loopback = await ConnectAsync(_fake.BaseUrl, Options);
        Assert.Equal("demo-space", loopback.Target.Space);
    }

    [Fact]
    public async Task A_root_document_that_points_the_login_link_at_plain_http_elsewhere_is_refused_before_signing_in()
    {
        _fake.State.AddFault(new FaultRule
        {
            Method = "GET", Path = "^/$", Action = FaultActions.Body,
            Body = $$$"""{"links":{"self":{"href":"{{{_fake.BaseUrl}}}"},"cloud_controller_v3":{"href":"{{{_fake.BaseUrl}}}v3","meta":{"version":"3.228.0"}},"login":{"href":"http://login.sys.example.test"},"uaa":{"href":"http://login.sys.example.test"},"log_cache":null}}""",
        });
        _fake.State.ClearRequests();

        var error = await Assert.ThrowsAsync<CfException>(() => ConnectAsync(_fake.BaseUrl, Options));

        Assert.Equal(CfFailure.InsecureEndpoint, error.Failure);
        Assert.Contains("login.sys.example.test", error.Message, StringComparison.Ordinal);
        Assert.Equal(["/"], _fake.State.Requests().Select(r => r.Path));
    }

    // ----- the bearer token stays on the foundation's hosts

    [Theory]
    [InlineData("another host")]
    [InlineData("the same host over https")]
    public async Task A_next_page_link_to_a_host_the_root_document_did_not_name_is_refused_and_nothing_is_sent_there(string where)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var connections = 0;
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var socket = await listener.AcceptSocketAsync();
                Interlocked.Increment(ref connections);
            }
        });
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var next = where == "another host" ? $"http://127.0.0.1:{port}/v3/apps?page=2&per_page=1" : $"https://{_fake.BaseUrl.Authority}/v3/apps?page=2&per_page=1";
        using var session = await ConnectAsync(_fake.BaseUrl, Options);
        _fake.State.AddFault(new FaultRule { Method = "GET", Path = "^/v3/apps$", Action = FaultActions.Body, Body = await FirstPageLinkingTo(next) });

        var error = await Assert.ThrowsAsync<CfException>(async () =>
        {
            await foreach (var _ in session.Apps.ListAsync(null, null, CancellationToken.None)) { }
        });

        Assert.Equal(CfFailure.UntrustedLink, error.Failure);
        Assert.Contains("not one of the foundation's endpoints", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref connections));
        listener.Stop();
    }

    [Fact]
    public async Task A_next_page_link_that_is_not_a_url_ends_a_listing_after_every_task_of_the_page_before_it()
    {
        // More than half a page, so the listing would read ahead if the link could be followed.
        var app = _fake.State.FindApp("demo-space", "training-app")!;
        _fake.State.BulkTasks(app.Guid, new FakeCloudFoundry.State.BulkTaskSpec { Count = 3_000 });
        var body = await FirstPageLinkingTo("/v3/apps/elsewhere/tasks?page=2", $"/v3/apps/{app.Guid}/tasks?per_page=5000");
        using var session = await ConnectAsync(_fake.BaseUrl, Options);
        var cfApp = await session.Apps.GetByNameAsync("training-app", CancellationToken.None);
        _fake.State.AddFault(new FaultRule { Method = "GET", Path = $"^/v3/apps/{app.Guid}/tasks$", Action = FaultActions.Body, Body = body });
        _fake.State.ClearRequests();

        var listing = session.Tasks.List(new TaskListQuery { Apps = [cfApp] });
        var count = 0;
        await foreach (var _ in listing) count++;

        Assert.Equal(3_000, count); // the tasks of the page's last second too, though the next page might have had more
        var error = Assert.Single(listing.Failures);
        Assert.Contains("is not an absolute http(s) URL", error.Message, StringComparison.Ordinal);
        Assert.Single(_fake.State.Requests(), r => r.Path == $"/v3/apps/{app.Guid}/tasks");
    }

    [Fact]
    public void The_token_may_go_to_every_host_the_root_document_named_and_no_other()
    {
        var endpoints = new CfEndpoints(new Uri("https://api.sys.example.com"), new Uri("https://login.sys.example.com"), new Uri("https://log-cache.sys.example.com"), "3.228.0")
        {
            Uaa = new Uri("https://uaa.sys.example.com"),
        };

        Assert.Equal(
            ["https://api.sys.example.com", "https://login.sys.example.com", "https://uaa.sys.example.com", "https://log-cache.sys.example.com"],
            endpoints.Authorities);
    }

    // ----- proxies

    [Fact]
    public async Task An_explicit_proxy_with_credentials_carries_every_request_cc_uaa_and_log_cache()
    {
        var proxy = await _fake.StartProxyAsync(new ForwardProxyOptions { RequireCredential = new("proxy-user", "proxy-secret") });
        var app = _fake.State.FindApp("demo-space", "training-app")!;
        _fake.State.AddLogs(app.Guid, [new() { SourceType = "APP/TASK/report", Message = "hello through the proxy" }]);
        _fake.State.ClearRequests();
        proxy.ClearRequests();

        var options = Options with { Proxy = CfProxy.Create(proxy.Url, new NetworkCredential("proxy-user", "proxy-secret")), AllowUnencryptedAuthentication = true };
        using var session = await ConnectAsync(_proxiedApi, options);
        var cfApp = await session.Apps.GetByNameAsync("training-app", CancellationToken.None);
        var lines = new List<CfLogEntry>();
        await foreach (var line in session.Logs.GetAppTaskLogAsync(cfApp, null, null, CancellationToken.None)) lines.Add(line);

        Assert.Contains(lines, l => l.Message == "hello through the proxy");
        var forwarded = proxy.Requests().Where(r => r.Status != 407).ToList();
        Assert.All(forwarded, r => Assert.StartsWith(_proxiedApi.ToString().TrimEnd('/'), r.Url, StringComparison.Ordinal));
        Assert.All(forwarded, r => Assert.True(r.ProxyAuthorization));
        foreach (var path in new[] { "/", "/login/oauth/token", "/v3/organizations", "/v3/spaces", "/v3/apps", $"/log-cache/api/v1/read/{app.Guid}" })
            Assert.Contains(forwarded, r => new Uri(r.Url).AbsolutePath == path);
        Assert.Equal(_fake.State.Requests().Count, forwarded.Count); // the fake saw nothing the proxy did not carry
    }

    [Fact]
    public async Task A_proxy_that_wants_credentials_it_did_not_get_is_a_clear_error()
    {
        var proxy = await _fake.StartProxyAsync(new ForwardProxyOptions { RequireCredential = new("proxy-user", "proxy-secret") });

        var error = await Assert.ThrowsAsync<CfException>(() =>
            ConnectAsync(_proxiedApi, Options with { Proxy = CfProxy.Create(proxy.Url, new NetworkCredential("proxy-user", "Wr0ng-Pr0xy")), AllowUnencryptedAuthentication = true }));

        Assert.Equal(CfFailure.ProxyAuthenticationFailed, error.Failure);
        Assert.Equal(CfErrorKind.Authentication, error.Kind);
        Assert.Contains("407", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Wr0ng-Pr0xy", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_proxy_variables_are_read_as_the_cf_cli_reads_them()
    {
        var proxy = await _fake.StartProxyAsync(new ForwardProxyOptions { RequireCredential = new("env-user", "p@ss:word") });
        var url = $"{proxy.Url.Host}:{proxy.Url.Port}"; // no scheme means http, as for the cf CLI
        var variables = new Dictionary<string, string?> { ["http_proxy"] = $"env-user:{Uri.EscapeDataString("p@ss:word")}@{url}" };
        proxy.ClearRequests();

        using (var session = await ConnectAsync(_proxiedApi, Options with { Proxy = CfProxy.FromEnvironment(Read(variables)), AllowUnencryptedAuthentication = true }))
            Assert.Equal("demo-space", session.Target.Space);
        Assert.Contains(proxy.Requests(), r => r.Url.EndsWith("/login/oauth/token", StringComparison.Ordinal) && r.Status == 200);

        // Loopback is never proxied; NO_PROXY names what is not.
        proxy.ClearRequests();
        using (await ConnectAsync(_fake.BaseUrl, Options with { Proxy = CfProxy.FromEnvironment(Read(variables)) })) { }
        Assert.Empty(proxy.Requests());

        variables["NO_PROXY"] = "example.com, .cf.test";
        var bypassed = await Assert.ThrowsAsync<CfException>(() =>
            ConnectAsync(_proxiedApi, Options with { Proxy = CfProxy.FromEnvironment(Read(variables)), AllowUnencryptedAuthentication = true }));
        Assert.Equal(CfFailure.ConnectionFailed, bypassed.Failure); // api.cf.test resolves only through the proxy
        Assert.Empty(proxy.Requests());
    }

    /// <summary>A real first page of apps whose next-page link is <paramref name="next"/>.</summary>
    private async Task<string> FirstPageLinkingTo(string next, string firstPage = "/v3/apps?per_page=1")
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_fake.BaseUrl, firstPage));
        request.Headers.TryAddWithoutValidation("Authorization", "bearer " + _fake.State.IssueAccessToken("developer"));
        using var response = await http.SendAsync(request);
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.NotEmpty(page["resources"]!.AsArray());
        page["pagination"]!["next"] = new JsonObject { ["href"] = next };
        return page.ToJsonString();
    }

    private static Func<string, string?> Read(Dictionary<string, string?> variables) => name => variables.GetValueOrDefault(name);
}
