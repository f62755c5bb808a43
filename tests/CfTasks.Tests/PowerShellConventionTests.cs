using System.Management.Automation;
using CfTasks.Tests.Infrastructure;

namespace CfTasks.Tests;

/// <summary>
/// Names and endpoints behave as PowerShell users expect: a wildcard that matches nothing returns nothing (as
/// <c>Get-Process zzz*</c> does) while a literal name that matches nothing is an ObjectNotFound error naming it, and an
/// API endpoint typed as for <c>cf api</c> (a host name alone) means https.
/// </summary>
public sealed class PowerShellConventionTests : IClassFixture<FakeFixture>, IDisposable
{
    private readonly FakeFixture _fixture;
    private readonly PowerShellSession _ps = new();

    public PowerShellConventionTests(FakeFixture fixture)
    {
        _fixture = fixture;
        fixture.Fake.State.Reset();
        _ps.Connect(fixture.Api);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("CF_API", null);
        _ps.Dispose();
    }

    [Theory]
    [InlineData("Get-CfApp 'zzz*'")]
    [InlineData("Get-CfApp 'zzz*', 'nothing?here'")]
    [InlineData("Get-CfTask -AppName 'zzz*'")]
    [InlineData("Get-CfTask training-app -Name 'zzz*'")]
    [InlineData("Get-CfTask -Name 'zz[xy]*'")]
    public void A_wildcard_that_matches_nothing_returns_nothing_silently(string script)
    {
        var result = _ps.Run(script);

        Assert.Empty(result.Output);
        Assert.Empty(result.Errors);
        Assert.Null(result.Terminating);
    }

    [Theory]
    [InlineData("Get-CfApp zzz", "zzz")]
    [InlineData("Get-CfApp 'billing-*', 'no-such-app'", "no-such-app")]
    [InlineData("Get-CfTask -AppName no-such-app", "no-such-app")]
    public void A_literal_name_that_matches_nothing_is_an_error_naming_it(string script, string name)
    {
        var error = Assert.IsType<ErrorRecord>(_ps.Run(script).FirstError);

        Assert.StartsWith("CfAppNotFound,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(name, error.TargetObject);
        Assert.Contains($"'{name}'", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_typed_without_a_scheme_means_https_as_for_cf_api()
    {
        await using var door = await TlsFrontDoor.StartAsync(_fixture.Api);
        var hostAndPort = new Uri(door.Url).Authority; // e.g. 127.0.0.1:40123

        var result = _ps.Run("$c = [pscredential]::new('developer', (ConvertTo-SecureString 'developer-password' -AsPlainText -Force));" +
                             " Connect-CfTarget $api -Credential $c -SkipCertificateValidation -Organization demo-org -Space demo-space",
            new Dictionary<string, object?> { ["api"] = hostAndPort });

        Assert.Null(result.FirstError);
        Assert.Equal(new Uri("https://" + hostAndPort), Assert.Single(result.As<CfTarget>()).ApiEndpoint);
    }

    [Fact]
    public async Task CF_API_without_a_scheme_means_https_too()
    {
        await using var door = await TlsFrontDoor.StartAsync(_fixture.Api);
        Environment.SetEnvironmentVariable("CF_API", new Uri(door.Url).Authority);

        var result = _ps.Run("$c = [pscredential]::new('developer', (ConvertTo-SecureString 'developer-password' -AsPlainText -Force));" +
                             " Connect-CfTarget -Credential $c -SkipCertificateValidation");

        Assert.Null(result.FirstError);
        Assert.Equal("https", Assert.Single(result.As<CfTarget>()).ApiEndpoint.Scheme);
    }

    [Theory]
    [InlineData("ht!tp://x y", "white space")]
    [InlineData("ftp://api.example.com", "scheme is 'ftp'")]
    [InlineData("https://api.exa mple.com", "white space")]
    [InlineData("https://user:pw@api.example.com", "user name or password")]
    [InlineData("api..example..com!", "host name is not valid")]
    public void A_malformed_endpoint_says_what_is_wrong_without_inventing_a_url(string endpoint, string problem)
    {
        var result = _ps.Run("$c = [pscredential]::new('developer', (ConvertTo-SecureString 'developer-password' -AsPlainText -Force)); Connect-CfTarget $api -Credential $c",
            new Dictionary<string, object?> { ["api"] = endpoint });

        var error = Assert.IsType<ErrorRecord>(result.FirstError);
        Assert.StartsWith("CfInvalidApiEndpoint,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains(problem, error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("https://ht!tp", error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw@", error.Exception.Message, StringComparison.Ordinal);
    }
}
