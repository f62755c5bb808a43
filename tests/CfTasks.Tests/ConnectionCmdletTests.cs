using System.Management.Automation;
using CfTasks.Tests.Infrastructure;

namespace CfTasks.Tests;

/// <summary>Connect-CfTarget, Get-CfTarget, Set-CfTarget and Disconnect-CfTarget as a user runs them.</summary>
public sealed class ConnectionCmdletTests : IClassFixture<FakeFixture>, IDisposable
{
    private readonly FakeFixture _fixture;
    private readonly PowerShellSession _ps = new();

    public ConnectionCmdletTests(FakeFixture fixture)
    {
        _fixture = fixture;
        fixture.Fake.State.Reset();
    }

    public void Dispose() => _ps.Dispose();

    [Fact]
    public void Password_login_targets_the_org_and_space_and_reports_the_api_version()
    {
        var result = _ps.Connect(_fixture.Api);
        var target = Assert.IsType<CfTarget>(Assert.Single(result.Output).BaseObject);

        Assert.Equal(new Uri(_fixture.Api), target.ApiEndpoint);
        Assert.Equal("developer", target.User);
        Assert.Equal("demo-org", target.Organization);
        Assert.Equal("demo-space", target.Space);
        Assert.Equal(_fixture.Fake.State.FindSpace("demo-space")!.Guid, target.SpaceGuid);
        Assert.False(string.IsNullOrEmpty(target.ApiVersion));
        Assert.True(target.TokenExpiresAt > DateTime.UtcNow.AddMinutes(10), "token lifetime read from the JWT exp");

        var current = _ps.Run("Get-CfTarget").As<CfTarget>();
        Assert.Same(target, Assert.Single(current));
    }

    [Fact]
    public void Password_grant_goes_to_the_login_link_with_the_cf_client_in_a_basic_header()
    {
        _ps.Connect(_fixture.Api);
        var token = Assert.Single(_fixture.Fake.State.Requests(), r => r.Path.EndsWith("/oauth/token", StringComparison.Ordinal));
        Assert.Equal("POST", token.Method);
        Assert.StartsWith("/login/", token.Path, StringComparison.Ordinal);
        Assert.Equal("basic", token.Auth);
    }

    [Fact]
    public void Client_credentials_login_names_the_client_as_the_user()
    {
        var result = _ps.Run(
            "$c = [pscredential]::new('cftasks-ci', (ConvertTo-SecureString 'ci-client-secret' -AsPlainText -Force)); " +
            "Connect-CfTarget $api -ClientCredential $c -Organization demo-org -Space demo-space",
            new Dictionary<string, object?> { ["api"] = _fixture.Api });

        Assert.Null(result.FirstError);
        var target = Assert.Single(result.As<CfTarget>());
        Assert.Equal("cftasks-ci", target.User);
        Assert.Equal("demo-space", target.Space);
    }

    [Fact]
    public void Wrong_password_is_an_authentication_error_with_uaas_words_and_never_the_password()
    {
        var result = _ps.Run(
            "$c = [pscredential]::new('developer', (ConvertTo-SecureString 'Wr0ng-Pa55word!' -AsPlainText -Force)); Connect-CfTarget $api -Credential $c",
            new Dictionary<string, object?> { ["api"] = _fixture.Api });

        var error = Assert.IsType<ErrorRecord>(result.FirstError);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.StartsWith("CfAuthenticationFailed,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("Bad credentials", error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Wr0ng-Pa55word!", result.AllText(), StringComparison.Ordinal);
        Assert.Empty(_ps.Run("Get-CfTarget").Output);
    }

    [Fact]
    public void Wrong_client_secret_is_an_authentication_error()
    {
        var result = _ps.Run(
            "$c = [pscredential]::new('cftasks-ci', (ConvertTo-SecureString 'not-the-secret' -AsPlainText -Force)); Connect-CfTarget $api -ClientCredential $c",
            new Dictionary<string, object?> { ["api"] = _fixture.Api });
        var error = Assert.IsType<ErrorRecord>(result.FirstError);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.DoesNotContain("not-the-secret", result.AllText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-such-org", "demo-space", "CfOrganizationNotFound", "no-such-org")]
    [InlineData("demo-org", "no-such-space", "CfSpaceNotFound", "no-such-space")]
    public void Unknown_org_or_space_is_object_not_found_naming_it(string org, string space, string errorId, string named)
    {
        var error = Assert.Throws<InvalidOperationException>(() => _ps.Connect(_fixture.Api, org: org, space: space));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        var result = _ps.Run(
            "$c = [pscredential]::new('developer', (ConvertTo-SecureString 'developer-password' -AsPlainText -Force)); Connect-CfTarget $api -Credential $c -Organization $org -Space $space",
            new Dictionary<string, object?> { ["api"] = _fixture.Api, ["org"] = org, ["space"] = space });
        var record = Assert.IsType<ErrorRecord>(result.FirstError);
        Assert.Equal(ErrorCategory.ObjectNotFound, record.CategoryInfo.Category);
        Assert.StartsWith(errorId + ",", record.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(named, record.TargetObject);
    }

    [Fact]
    public void An_org_with_a_single_space_targets_that_space()
    {
        var result = _ps.Connect(_fixture.Api, user: "admin", password: "admin-password", org: "second-org", space: null);
        var target = Assert.Single(result.As<CfTarget>());
        Assert.Equal("second-org", target.Organization);
        Assert.Equal("second-space", target.Space);
    }

    [Fact]
    public void Unreachable_api_is_a_connection_error_naming_the_endpoint()
    {
        var result = _ps.Run(
            "$c = [pscredential]::new('u', (ConvertTo-SecureString 'p' -AsPlainText -Force)); Connect-CfTarget http://127.0.0.1:9 -Credential $c");
        var error = Assert.IsType<ErrorRecord>(result.FirstError);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains("127.0.0.1:9", error.Exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ht!tp://api.example.com")]
    [InlineData("ftp://api.example.com")]
    [InlineData("   ")]
    public void An_api_endpoint_without_a_usable_scheme_is_rejected_before_any_request(string api)
    {
        var result = _ps.Run(
            "$c = [pscredential]::new('u', (ConvertTo-SecureString 'p' -AsPlainText -Force)); Connect-CfTarget $api -Credential $c",
            new Dictionary<string, object?> { ["api"] = api });
        var error = Assert.IsType<ErrorRecord>(result.FirstError);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Matches("^CfInvalidApiEndpoint,|^CfNoApiEndpoint,", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void Not_connected_tells_the_user_to_run_connect_first()
    {
        var result = _ps.Run("Set-CfTarget -Organization demo-org");
        var error = Assert.IsType<ErrorRecord>(result.FirstError);
        Assert.StartsWith("CfNotConnected,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("Connect-CfTarget", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_target_moves_to_another_space_by_name()
    {
        _ps.Connect(_fixture.Api);
        var result = _ps.Run("Set-CfTarget -Space other-space -PassThru");
        Assert.Null(result.FirstError);
        var target = Assert.Single(result.As<CfTarget>());
        Assert.Equal("other-space", target.Space);
        Assert.Equal(_fixture.Fake.State.FindSpace("other-space")!.Guid, target.SpaceGuid);
    }

    [Fact]
    public void Set_target_whatif_changes_nothing()
    {
        _ps.Connect(_fixture.Api);
        _ps.Run("Set-CfTarget -Space other-space -WhatIf");
        Assert.Equal("demo-space", _ps.Run("(Get-CfTarget).Space").Output.Single().BaseObject);
    }

    [Fact]
    public void Two_connections_coexist_the_last_is_the_default_and_all_lists_it_first()
    {
        var first = _ps.Connect(_fixture.Api).As<CfTarget>().Single();
        var second = _ps.Connect(_fixture.Api, user: "admin", password: "admin-password", org: "second-org", space: "second-space").As<CfTarget>().Single();

        Assert.Same(second, _ps.Run("Get-CfTarget").As<CfTarget>().Single());
        var all = _ps.Run("Get-CfTarget -All").As<CfTarget>();
        Assert.Equal([second, first], all);
        Assert.Equal(all, _ps.Run("Get-CfTarget -ListAvailable").As<CfTarget>()); // the old name still works
        Assert.Equal("demo-space", first.Space);
    }

    [Fact]
    public void After_disconnecting_the_default_there_is_no_default_even_when_other_connections_remain()
    {
        var first = _ps.Connect(_fixture.Api).As<CfTarget>().Single();
        _ps.Connect(_fixture.Api, user: "admin", password: "admin-password", org: "second-org", space: "second-space");

        _ps.Run("Disconnect-CfTarget");

        Assert.Empty(_ps.Run("Get-CfTarget").Output);
        var error = Assert.IsType<ErrorRecord>(_ps.Run("Get-CfApp").FirstError);
        Assert.StartsWith("CfNotConnected,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        // The other connection is still there, for whoever names it.
        Assert.Same(first, Assert.Single(_ps.Run("Get-CfTarget -All").As<CfTarget>()));
        var apps = _ps.Run("Get-CfApp -Target $t", new Dictionary<string, object?> { ["t"] = first });
        Assert.Null(apps.FirstError);
        Assert.NotEmpty(apps.Output);
    }

    [Fact]
    public void Connecting_again_as_the_same_user_replaces_the_connection_so_disconnect_leaves_nothing_behind()
    {
        // The new user's story: a typo in the space, connect again, disconnect, and then a pipeline that must not act.
        var typo = _ps.Connect(_fixture.Api, space: "other-space").As<CfTarget>().Single();
        var fixedTarget = _ps.Connect(_fixture.Api).As<CfTarget>().Single();

        Assert.Same(fixedTarget, Assert.Single(_ps.Run("Get-CfTarget -All").As<CfTarget>()));
        Assert.Null(typo.TokenExpiresAt); // the replaced connection's tokens are gone
        var old = Assert.IsType<ErrorRecord>(_ps.Run("Get-CfApp -Target $t", new Dictionary<string, object?> { ["t"] = typo }).FirstError);
        Assert.StartsWith("CfNotConnected,", old.FullyQualifiedErrorId, StringComparison.Ordinal);

        _ps.Run("Disconnect-CfTarget");
        _fixture.Fake.State.ClearRequests();
        var error = Assert.IsType<ErrorRecord>(_ps.Run("Get-CfTask | Stop-CfTask -Confirm:$false").FirstError);
        Assert.StartsWith("CfNotConnected,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(_fixture.Fake.State.Requests());
    }

    [Fact]
    public void Another_user_or_another_client_on_the_same_endpoint_is_another_connection()
    {
        _ps.Connect(_fixture.Api);
        _ps.Connect(_fixture.Api, user: "admin", password: "admin-password");
        _ps.Run("$c = [pscredential]::new('cftasks-ci', (ConvertTo-SecureString 'ci-client-secret' -AsPlainText -Force)); Connect-CfTarget $api -ClientCredential $c | Out-Null",
            new Dictionary<string, object?> { ["api"] = _fixture.Api });

        // The default first, then the others in the order they connected.
        Assert.Equal(["cftasks-ci", "developer", "admin"], _ps.Run("Get-CfTarget -All").As<CfTarget>().Select(t => t.User));
    }

    [Fact]
    public void Disconnect_all_forgets_every_connection_and_its_tokens_and_whatif_forgets_none()
    {
        var first = _ps.Connect(_fixture.Api).As<CfTarget>().Single();
        var second = _ps.Connect(_fixture.Api, user: "admin", password: "admin-password").As<CfTarget>().Single();

        var whatIf = _ps.Run("Disconnect-CfTarget -All -WhatIf");
        Assert.Equal(2, _ps.Run("Get-CfTarget -All").Output.Count);
        Assert.Null(whatIf.FirstError);

        _ps.Run("Disconnect-CfTarget -All");

        Assert.Empty(_ps.Run("Get-CfTarget -All").Output);
        Assert.Empty(_ps.Run("Get-CfTarget").Output);
        Assert.Null(first.TokenExpiresAt);
        Assert.Null(second.TokenExpiresAt);
        var error = Assert.IsType<ErrorRecord>(_ps.Run("Get-CfAccessToken -Target $t", new Dictionary<string, object?> { ["t"] = first }).FirstError);
        Assert.StartsWith("CfNotConnected,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    [Fact]
    public void Disconnecting_a_connection_that_is_not_the_default_keeps_the_default()
    {
        var first = _ps.Connect(_fixture.Api).As<CfTarget>().Single();
        var second = _ps.Connect(_fixture.Api, user: "admin", password: "admin-password").As<CfTarget>().Single();

        _ps.Run("$t | Disconnect-CfTarget", new Dictionary<string, object?> { ["t"] = first });

        Assert.Same(second, _ps.Run("Get-CfTarget").As<CfTarget>().Single());
        Assert.Same(second, Assert.Single(_ps.Run("Get-CfTarget -All").As<CfTarget>()));
    }

    [Fact]
    public void Skip_certificate_validation_warns_once_per_connection()
    {
        var result = _ps.Run(
            "$c = [pscredential]::new('developer', (ConvertTo-SecureString 'developer-password' -AsPlainText -Force)); Connect-CfTarget $api -Credential $c -SkipCertificateValidation",
            new Dictionary<string, object?> { ["api"] = _fixture.Api });
        Assert.Null(result.FirstError);
        Assert.Single(result.Warnings, w => w.Contains("ertificate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ctrl_c_during_a_hanging_request_stops_within_a_second()
    {
        _fixture.Fake.State.AddFault(new FakeCloudFoundry.Faults.FaultRule { Path = "^/v3/organizations", Action = "hang" });
        _ps.Run("$global:api = '" + _fixture.Api + "'");

        var stopTook = await _ps.RunAndStopAsync(
            "$c = [pscredential]::new('developer', (ConvertTo-SecureString 'developer-password' -AsPlainText -Force)); " +
            "Connect-CfTarget $api -Credential $c -Organization demo-org -Space demo-space",
            stopWhen: () => _fixture.Fake.State.Stats().InFlight > 0);

        Assert.True(stopTook < TimeSpan.FromSeconds(1), $"stopping took {stopTook}");
    }
}
