using System.Net;
using System.Net.Sockets;
using CfTasks.Client.Errors;
using CfTasks.Client.Services;

namespace CfTasks.Client.Tests;

/// <summary>
/// Where the cf CLI looks, CfTasks looks (issue 14): the config file's folder, the proxy variables, the dial timeout.
/// The rules are pure functions of the variables, so Windows' rules are checked here on any OS.
/// </summary>
public sealed class CfCliEnvironmentTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    // ----- config.json

    public static TheoryData<string, bool, (string, string)[], string> ConfigHomes => new()
    {
        { "CF_HOME wins everywhere", true, [("CF_HOME", "D:\\cf"), ("HOMEDRIVE", "C:"), ("HOMEPATH", "\\Users\\ana"), ("USERPROFILE", "C:\\Users\\ana")], "D:\\cf" },
        { "Windows: HOMEDRIVE + HOMEPATH before USERPROFILE", true, [("HOMEDRIVE", "H:"), ("HOMEPATH", "\\home\\ana"), ("USERPROFILE", "C:\\Users\\ana")], "H:\\home\\ana" },
        { "Windows: USERPROFILE when HOMEDRIVE and HOMEPATH are unset", true, [("USERPROFILE", "C:\\Users\\ana"), ("HOME", "/ignored")], "C:\\Users\\ana" },
        { "Windows: HOME is not where the cf CLI looks", true, [("HOME", "C:\\msys\\home\\ana"), ("USERPROFILE", "C:\\Users\\ana")], "C:\\Users\\ana" },
        { "elsewhere: HOME", false, [("HOME", "/home/ana"), ("USERPROFILE", "/ignored")], "/home/ana" },
        { "elsewhere: CF_HOME", false, [("CF_HOME", "/srv/cf"), ("HOME", "/home/ana")], "/srv/cf" },
    };

    [Theory]
    [MemberData(nameof(ConfigHomes))]
    public void The_config_file_is_found_where_the_cf_cli_finds_it(string rule, bool windows, (string, string)[] variables, string home)
    {
        Assert.True(CfCliConfig.PathFor(null, Env(variables), windows) == Path.Combine(home, ".cf", "config.json"), rule);
    }

    [Fact]
    public void An_explicit_folder_wins_over_every_variable()
    {
        Assert.Equal(Path.Combine("/tmp/other", ".cf", "config.json"), CfCliConfig.PathFor("/tmp/other", Env(("CF_HOME", "/srv/cf")), windows: false));
    }

    // ----- proxy variables

    private static IWebProxy? Proxy(params (string, string)[] variables) => CfProxy.FromEnvironment(Env(variables));

    [Fact]
    public void Https_urls_use_HTTPS_PROXY_and_http_urls_HTTP_PROXY_upper_case_names_first()
    {
        var proxy = Proxy(("HTTPS_PROXY", "http://secure-proxy:3128"), ("https_proxy", "http://ignored:1"), ("http_proxy", "plain-proxy:8080"))!;

        Assert.Equal(new Uri("http://secure-proxy:3128"), proxy.GetProxy(new Uri("https://api.sys.example.com/v3")));
        Assert.Equal(new Uri("http://plain-proxy:8080"), proxy.GetProxy(new Uri("http://api.sys.example.com/v3")));
        Assert.False(proxy.IsBypassed(new Uri("https://api.sys.example.com")));
    }

    [Fact]
    public void No_proxy_variable_means_no_environment_proxy_and_a_scheme_without_its_proxy_goes_direct()
    {
        Assert.Null(Proxy(("NO_PROXY", "example.com")));
        Assert.Null(Proxy(("HTTPS_PROXY", "  ")));
        Assert.True(Proxy(("HTTP_PROXY", "http://proxy:3128"))!.IsBypassed(new Uri("https://api.sys.example.com")));
    }

    [Theory]
    [InlineData("example.com", "https://example.com", true)]
    [InlineData("example.com", "https://api.sys.example.com", true)]
    [InlineData("example.com", "https://notexample.com", false)]
    [InlineData(".example.com", "https://api.example.com", true)]
    [InlineData(".example.com", "https://example.com", false)]
    [InlineData("*.example.com", "https://example.com", false)]
    [InlineData("*", "https://anything.test", true)]
    [InlineData("10.0.0.0/8", "https://10.1.2.3", true)]
    [InlineData("10.0.0.0/8", "https://11.1.2.3", false)]
    [InlineData("192.168.1.7", "https://192.168.1.7:8443", true)]
    [InlineData("example.com:8443", "https://api.example.com:8443", true)]
    [InlineData("example.com:8443", "https://api.example.com", false)]
    [InlineData("[2001:db8::1]", "https://[2001:db8::1]", true)]
    [InlineData("other.test, EXAMPLE.com", "https://api.example.com", true)]
    public void NO_PROXY_names_hosts_domains_addresses_ranges_and_ports(string noProxy, string url, bool bypassed)
    {
        var proxy = Proxy(("HTTPS_PROXY", "http://proxy:3128"), ("no_proxy", noProxy))!;
        Assert.Equal(bypassed, proxy.IsBypassed(new Uri(url)));
        Assert.Equal(bypassed ? new Uri(url) : new Uri("http://proxy:3128"), proxy.GetProxy(new Uri(url)));
    }

    [Theory]
    [InlineData("http://localhost:8080")]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://[::1]:8080")]
    public void Loopback_is_never_proxied(string url)
    {
        Assert.True(Proxy(("HTTP_PROXY", "http://proxy:3128"))!.IsBypassed(new Uri(url)));
    }

    [Fact]
    public void A_user_and_password_in_the_proxy_url_are_that_proxys_credentials_and_never_in_its_address()
    {
        var proxy = Proxy(("HTTPS_PROXY", "http://corp%5Cana:s%40cret@secure-proxy:3128"), ("HTTP_PROXY", "http://plain-proxy:8080"))!;

        Assert.Equal("http://secure-proxy:3128/", proxy.GetProxy(new Uri("https://api.example.com"))!.AbsoluteUri); // Uri equality ignores user info
        var credential = proxy.Credentials!.GetCredential(new Uri("http://secure-proxy:3128"), "Basic")!;
        Assert.Equal(("corp\\ana", "s@cret"), (credential.UserName, credential.Password));
        Assert.Null(proxy.Credentials.GetCredential(new Uri("http://plain-proxy:8080"), "Basic"));
    }

    [Theory]
    [InlineData("ftp://proxy:21", "scheme is 'ftp'")]
    [InlineData("http://", "not a URL")]
    public void A_proxy_url_that_cannot_be_used_is_a_clear_error_without_its_password(string url, string problem)
    {
        var error = Assert.Throws<CfException>(() => Proxy(("HTTPS_PROXY", url)));
        Assert.Equal(CfFailure.InvalidProxy, error.Failure);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTPS_PROXY", error.Message, StringComparison.Ordinal);

        var secret = Assert.Throws<CfException>(() => Proxy(("HTTPS_PROXY", "gopher://ana:Pr0xy-S3cret@proxy:70")));
        Assert.DoesNotContain("Pr0xy-S3cret", secret.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_proxy_takes_loopback_too_and_not_both_kinds_of_credentials()
    {
        var proxy = CfProxy.Create(new Uri("http://proxy:3128"), new NetworkCredential("ana", "secret"));
        Assert.False(proxy.IsBypassed(new Uri("http://127.0.0.1:8080")));
        Assert.Equal("ana", proxy.Credentials!.GetCredential(new Uri("http://proxy:3128"), "Basic")!.UserName);

        var both = Assert.Throws<CfException>(() => CfProxy.Create(new Uri("http://proxy:3128"), new NetworkCredential("ana", "secret"), useDefaultCredentials: true));
        Assert.Equal(CfFailure.InvalidProxy, both.Failure);
    }

    // ----- the dial timeout

    [Fact]
    public async Task Connecting_is_bounded_by_the_connect_timeout()
    {
        // A listener whose accept queue is full: the kernel leaves further connection attempts unanswered.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        using var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await filler.ConnectAsync(endpoint);

        var options = ClientFixture.FastOptions with { ConnectTimeout = TimeSpan.FromSeconds(1), RequestTimeout = TimeSpan.FromMinutes(1) };
        var error = await Assert.ThrowsAsync<CfException>(() => CfSession.DiscoverAsync(new Uri($"http://127.0.0.1:{endpoint.Port}"), options, CancellationToken.None));

        Assert.Equal(CfFailure.ConnectionFailed, error.Failure);
        Assert.Contains("connect timeout of 1 s", error.Message, StringComparison.Ordinal);
    }
}
