using System.Management.Automation;
using CfTasks.Tests.Infrastructure;

namespace CfTasks.Tests;

/// <summary>Certificate validation is on by default; -SkipCertificateValidation is an explicit, warned opt-in.</summary>
public sealed class CertificateTests : IClassFixture<FakeFixture>, IDisposable
{
    private readonly FakeFixture _fixture;
    private readonly PowerShellSession _ps = new();

    public CertificateTests(FakeFixture fixture)
    {
        _fixture = fixture;
        fixture.Fake.State.Reset();
    }

    public void Dispose() => _ps.Dispose();

    private const string Connect =
        "$c = [pscredential]::new('developer', (ConvertTo-SecureString 'developer-password' -AsPlainText -Force)); Connect-CfTarget $api -Credential $c";

    [Fact]
    public async Task A_self_signed_endpoint_fails_with_an_error_that_names_the_opt_in()
    {
        await using var door = await TlsFrontDoor.StartAsync(_fixture.Api);
        var result = _ps.Run(Connect, new Dictionary<string, object?> { ["api"] = door.Url });

        var error = Assert.IsType<ErrorRecord>(result.FirstError);
        Assert.StartsWith("CfCertificateNotTrusted,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Contains("-SkipCertificateValidation", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains(door.Url, error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_opt_in_it_connects_and_warns_once()
    {
        await using var door = await TlsFrontDoor.StartAsync(_fixture.Api);
        var result = _ps.Run(Connect + " -SkipCertificateValidation -Organization demo-org -Space demo-space",
            new Dictionary<string, object?> { ["api"] = door.Url });

        Assert.Null(result.FirstError);
        Assert.Equal("demo-space", Assert.Single(result.As<CfTarget>()).Space);
        Assert.Single(result.Warnings);
    }
}
