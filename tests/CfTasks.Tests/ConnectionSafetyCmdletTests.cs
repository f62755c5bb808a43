using System.Management.Automation;
using CfTasks.Tests.Infrastructure;
using FakeCloudFoundry;
using FakeCloudFoundry.Proxy;

namespace CfTasks.Tests;

/// <summary>
/// Connect-CfTarget keeps credentials where they belong (issue 14): -AllowUnencryptedAuthentication for plain http to a
/// host that is not loopback, and -Proxy, -ProxyCredential, -ProxyUseDefaultCredentials as Invoke-RestMethod takes them.
/// The fake answers under <c>http://api.cf.test:PORT</c>, a name only its test proxy resolves.
/// </summary>
public sealed class ConnectionSafetyCmdletTests : IAsyncLifetime, IDisposable
{
    private readonly PowerShellSession _ps = new();
    private FakeCloudFoundryServer _fake = null!;
    private ForwardProxy _proxy = null!;
    private string _api = "";

    public async Task InitializeAsync()
    {
        _fake = await FakeCloudFoundryServer.StartAsync(new FakeServerOptions { LinksFromHostHeader = true });
        _proxy = await _fake.StartProxyAsync(new ForwardProxyOptions { RequireCredential = new("proxy-user", "Pr0xy-S3cret") });
        _api = $"http://api.cf.test:{_fake.BaseUrl.Port}";
        _ps.Run("$api = $a; $proxy = $p; $c = [pscredential]::new('developer', (ConvertTo-SecureString 'developer-password' -AsPlainText -Force)); " +
                "$pc = [pscredential]::new('proxy-user', (ConvertTo-SecureString 'Pr0xy-S3cret' -AsPlainText -Force))",
            new Dictionary<string, object?> { ["a"] = _api, ["p"] = _proxy.Url.ToString() });
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _ps.Dispose();

    [Fact]
    public void Plain_http_to_a_host_that_is_not_loopback_is_refused_naming_the_host_and_nothing_is_sent()
    {
        var result = _ps.Run("Connect-CfTarget $api -Credential $c -Proxy $proxy -ProxyCredential $pc");

        var error = Assert.IsType<ErrorRecord>(result.FirstError);
        Assert.StartsWith("CfInsecureEndpoint,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Equal("api.cf.test", error.TargetObject);
        Assert.Contains("-AllowUnencryptedAuthentication", error.ErrorDetails!.RecommendedAction, StringComparison.Ordinal);
        Assert.Empty(_proxy.Requests());
        Assert.Empty(_ps.Run("Get-CfTarget").Output);
    }

    [Fact]
    public void Through_a_proxy_with_credentials_every_request_goes_through_it()
    {
        var result = _ps.Run(
            "Connect-CfTarget $api -Credential $c -Organization demo-org -Space demo-space -Proxy $proxy -ProxyCredential $pc -AllowUnencryptedAuthentication | Out-Null; " +
            "Start-CfTask training-app -Command 'echo proxied' -Wait | Get-CfTaskLog");

        Assert.Null(result.FirstError);
        Assert.Contains(result.Output, o => o.ToString()!.Contains("proxied", StringComparison.Ordinal));
        Assert.Single(result.Warnings, w => w.Contains("nencrypted", StringComparison.Ordinal));
        var forwarded = _proxy.Requests().Where(r => r.Status != 407).ToList();
        Assert.Equal(_fake.State.Requests().Count, forwarded.Count);
        Assert.All(forwarded, r => Assert.StartsWith(_api, r.Url, StringComparison.Ordinal));
        Assert.Contains(forwarded, r => r.Url.Contains("/oauth/token", StringComparison.Ordinal));
        Assert.Contains(forwarded, r => r.Url.Contains("/log-cache/", StringComparison.Ordinal));
        Assert.DoesNotContain("Pr0xy-S3cret", result.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_proxy_that_refuses_the_credentials_is_an_authentication_error_naming_proxy_credential()
    {
        var result = _ps.Run(
            "$bad = [pscredential]::new('proxy-user', (ConvertTo-SecureString 'Wr0ng-Pr0xy' -AsPlainText -Force)); " +
            "Connect-CfTarget $api -Credential $c -Proxy $proxy -ProxyCredential $bad -AllowUnencryptedAuthentication");

        var error = Assert.IsType<ErrorRecord>(result.FirstError);
        Assert.StartsWith("CfProxyAuthenticationFailed,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("-ProxyCredential", error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Wr0ng-Pr0xy", result.AllText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Connect-CfTarget $api -Credential $c -ProxyCredential $pc")]
    [InlineData("Connect-CfTarget $api -Credential $c -ProxyUseDefaultCredentials")]
    [InlineData("Connect-CfTarget $api -Credential $c -Proxy $proxy -ProxyCredential $pc -ProxyUseDefaultCredentials")]
    public void Proxy_credentials_need_the_proxy_and_only_one_kind(string script)
    {
        var error = Assert.IsType<ErrorRecord>(_ps.Run(script).FirstError);
        Assert.StartsWith("CfInvalidProxy,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Empty(_proxy.Requests());
    }
}
