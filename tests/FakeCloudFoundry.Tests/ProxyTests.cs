using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FakeCloudFoundry.Proxy;

namespace FakeCloudFoundry.Tests;

/// <summary>The test proxy, and the fake answering under the name a proxied client used (LinksFromHostHeader).</summary>
public sealed class ProxyTests : IAsyncLifetime
{
    private FakeCloudFoundryServer _fake = null!;
    private string _api = "";

    public async Task InitializeAsync()
    {
        _fake = await FakeCloudFoundryServer.StartAsync(new FakeServerOptions { LinksFromHostHeader = true });
        _api = $"http://api.cf.test:{_fake.BaseUrl.Port}"; // a name only the proxy resolves
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task A_client_behind_the_proxy_discovers_signs_in_and_pages_under_the_name_it_used()
    {
        var proxy = await _fake.StartProxyAsync();
        using var http = Through(proxy);
        _fake.State.BulkTasks(_fake.State.FindApp("demo-space", "training-app")!.Guid, new() { Count = 3 });

        var root = await Json(await http.GetAsync(_api + "/"));
        Assert.Equal(_api, root["links"]!["self"]!["href"]!.GetValue<string>());
        var login = root["links"]!["login"]!["href"]!.GetValue<string>();
        Assert.Equal(_api + "/login", login);
        Assert.Equal(_api + "/log-cache", root["links"]!["log_cache"]!["href"]!.GetValue<string>());

        var tokenRequest = new HttpRequestMessage(HttpMethod.Post, login + "/oauth/token")
        {
            Content = new StringContent("grant_type=password&password=developer-password&username=developer", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", "Y2Y6");
        var token = (await Json(await http.SendAsync(tokenRequest)))["access_token"]!.GetValue<string>();

        var list = new HttpRequestMessage(HttpMethod.Get, _api + "/v3/tasks?per_page=2");
        list.Headers.TryAddWithoutValidation("Authorization", "bearer " + token);
        var page = await Json(await http.SendAsync(list));
        Assert.Equal(3, page["pagination"]!["total_results"]!.GetValue<int>());
        Assert.Equal(_api + "/v3/tasks?page=2&per_page=2", page["pagination"]!["next"]!["href"]!.GetValue<string>());
        Assert.StartsWith(_api + "/v3/tasks/", page["resources"]![0]!["links"]!["self"]!["href"]!.GetValue<string>());

        Assert.Equal(
            [$"GET {_api}/ 200", $"POST {login}/oauth/token 200", $"GET {_api}/v3/tasks?per_page=2 200"],
            proxy.Requests().Select(r => $"{r.Method} {r.Url} {r.Status}"));
        Assert.All(proxy.Requests(), r => Assert.False(r.ProxyAuthorization));
    }

    [Fact]
    public async Task Without_the_option_links_stay_on_the_fakes_own_address()
    {
        await using var plain = await FakeCloudFoundryServer.StartAsync();
        var proxy = await plain.StartProxyAsync();
        using var http = Through(proxy);
        var root = await Json(await http.GetAsync($"http://api.cf.test:{plain.BaseUrl.Port}/"));
        Assert.Equal(plain.BaseUrl.ToString(), root["links"]!["self"]!["href"]!.GetValue<string>());
    }

    [Fact]
    public async Task Required_credentials_are_challenged_with_407_and_Basic()
    {
        var proxy = await _fake.StartProxyAsync(new ForwardProxyOptions { RequireCredential = new ProxyCredential("proxy-user", "proxy-secret") });

        using var anonymous = Through(proxy);
        var refused = await anonymous.GetAsync(_api + "/v3/info");
        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, refused.StatusCode);
        Assert.Equal("Basic realm=\"FakeCloudFoundry proxy\"", refused.Headers.ProxyAuthenticate.ToString());

        using var wrong = Through(proxy, new NetworkCredential("proxy-user", "nope"));
        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, (await wrong.GetAsync(_api + "/v3/info")).StatusCode);

        proxy.ClearRequests();
        using var right = Through(proxy, new NetworkCredential("proxy-user", "proxy-secret"));
        Assert.Equal(HttpStatusCode.OK, (await right.GetAsync(_api + "/v3/info")).StatusCode);
        Assert.Equal([(407, false), (200, true)], proxy.Requests().Select(r => (r.Status, r.ProxyAuthorization)));
    }

    [Fact]
    public async Task Unknown_hosts_never_leave_the_machine_and_plain_requests_are_not_proxy_requests()
    {
        var proxy = await _fake.StartProxyAsync();
        using var http = Through(proxy);
        Assert.Equal(HttpStatusCode.BadGateway, (await http.GetAsync("http://api.example.org/v3/info")).StatusCode);

        using var direct = new HttpClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await direct.GetAsync(proxy.Url + "/v3/info")).StatusCode);

        await _fake.StartProxyAsync(new ForwardProxyOptions { MapAllHosts = true });
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://api.example.org:{_fake.BaseUrl.Port}/v3/info")).StatusCode);

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("https://api.cf.test/v3/info")); // the fake has no TLS
        Assert.Equal(("CONNECT", "api.cf.test:443", 501), proxy.Requests().Select(r => (r.Method, r.Url, r.Status)).Last());
    }

    [Fact]
    public async Task The_HTTP_controls_start_reconfigure_list_and_stop_the_proxy_and_never_record_secrets()
    {
        using var control = new HttpClient { BaseAddress = _fake.BaseUrl };
        var started = await Json(await control.PostAsync("/_fake/proxy", JsonContent("""{"requireCredential":{"user":"u","password":"p"}}""")));
        var url = started["url"]!.GetValue<string>();
        Assert.Matches(@"^http://127\.0\.0\.1:\d+$", url);
        var again = await Json(await control.PostAsync("/_fake/proxy", JsonContent("{}")));
        Assert.Equal(url, again["url"]!.GetValue<string>()); // reconfigured in place: no credentials needed now

        using var http = new HttpClient(new SocketsHttpHandler { Proxy = new WebProxy(url), UseProxy = true });
        var token = _fake.State.IssueAccessToken("developer");
        var request = new HttpRequestMessage(HttpMethod.Get, _api + "/v3/apps?names=training-app&access_token=" + token);
        request.Headers.TryAddWithoutValidation("Authorization", "bearer " + token);
        await http.SendAsync(request);

        var journal = await control.GetStringAsync("/_fake/proxy/requests");
        Assert.DoesNotContain(token, journal);
        var entry = JsonNode.Parse(journal)!.AsArray().Single()!;
        Assert.Equal("GET", entry["method"]!.GetValue<string>());
        Assert.Equal(_api + "/v3/apps?names=training-app&access_token=[REDACTED]", entry["url"]!.GetValue<string>());
        Assert.False(entry["proxyAuthorization"]!.GetValue<bool>());
        Assert.Equal(400, entry["status"]!.GetValue<int>()); // CC rejects the unknown access_token parameter

        Assert.Equal(HttpStatusCode.NoContent, (await control.DeleteAsync("/_fake/proxy/requests")).StatusCode);
        Assert.Equal("[]", await control.GetStringAsync("/_fake/proxy/requests"));
        Assert.Equal(HttpStatusCode.NoContent, (await control.DeleteAsync("/_fake/proxy")).StatusCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(_api + "/v3/info"));
    }

    private static HttpClient Through(ForwardProxy proxy, ICredentials? credentials = null) =>
        new(new SocketsHttpHandler { Proxy = new WebProxy(proxy.Url) { Credentials = credentials }, UseProxy = true });

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonNode> Json(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        }
    }
}
