using System.Management.Automation;
using CfTasks.Tests.Infrastructure;

namespace CfTasks.Tests;

/// <summary>
/// Connect-CfTarget's sign-in modes as a user types them (issue 14): -Passcode and -Sso (single sign-on), -Origin, and
/// -Assertion (keyless CI sign-in), each renewed and refused like the password and client modes.
/// </summary>
public sealed class SignInCmdletTests : IClassFixture<FakeFixture>, IDisposable
{
    private readonly FakeFixture _fixture;
    private readonly PowerShellSession _ps = new();

    public SignInCmdletTests(FakeFixture fixture)
    {
        _fixture = fixture;
        fixture.Fake.State.Reset();
        _ps.Run("$api = '" + fixture.Api + "'");
    }

    public void Dispose() => _ps.Dispose();

    private ScriptResult Run(string script, string? secret = null) =>
        _ps.Run("$secret = if ($plain) { ConvertTo-SecureString $plain -AsPlainText -Force }; " + script,
            new Dictionary<string, object?> { ["plain"] = secret });

    private static ErrorRecord AuthenticationError(ScriptResult result, string uaaWords, string secret)
    {
        var error = Assert.IsType<ErrorRecord>(result.FirstError);
        Assert.StartsWith("CfAuthenticationFailed,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains(uaaWords, error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, result.AllText(), StringComparison.Ordinal);
        return error;
    }

    // ----- -Passcode and -Sso

    [Fact]
    public void A_passcode_connects_its_user()
    {
        var passcode = _fixture.Fake.State.IssuePasscode("developer");

        var result = Run("Connect-CfTarget $api -Passcode $secret -Organization demo-org -Space demo-space", passcode);

        Assert.Null(result.FirstError);
        var target = Assert.Single(result.As<CfTarget>());
        Assert.Equal("developer", target.User);
        Assert.Equal("demo-space", target.Space);
    }

    [Fact]
    public void A_wrong_passcode_is_an_authentication_error_with_uaas_words()
    {
        AuthenticationError(Run("Connect-CfTarget $api -Passcode $secret", "Wr0ngPasscode-ABCDEFGHIJKLMNOPQR"), "Invalid passcode", "Wr0ngPasscode");
        Assert.Empty(_ps.Run("Get-CfTarget").Output);
    }

    [Theory]
    [InlineData("-Sso")]
    [InlineData("-Passcode $null")]
    public void Without_a_passcode_an_interactive_session_shows_the_passcode_page_and_prompts(string how)
    {
        var passcode = _fixture.Fake.State.IssuePasscode("developer");
        var host = new PromptingHost(PromptingHost.Secure(passcode));
        using var interactive = new PowerShellSession(host);

        var result = interactive.Run($"Connect-CfTarget $api {how} -Organization demo-org -Space demo-space",
            new Dictionary<string, object?> { ["api"] = _fixture.Api });

        Assert.Null(result.FirstError);
        Assert.Equal("developer", Assert.Single(result.As<CfTarget>()).User);
        var prompt = Assert.Single(host.Prompts);
        Assert.Contains(_fixture.Api + "/login/passcode", prompt, StringComparison.Ordinal); // from the root document's login link
        Assert.DoesNotContain(passcode, host.Written + result.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_passcode_a_session_that_cannot_prompt_gets_a_clear_error_naming_the_page()
    {
        _fixture.Fake.State.ClearRequests();

        var result = Run("Connect-CfTarget $api -Sso");

        var error = Assert.IsType<ErrorRecord>(result.FirstError);
        Assert.StartsWith("CfNoCredential,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains(_fixture.Api + "/login/passcode", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("-Passcode", error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_fixture.Fake.State.Requests(), r => r.Path.EndsWith("/oauth/token", StringComparison.Ordinal));
    }

    // ----- -Origin

    [Fact]
    public void An_origin_signs_in_a_user_of_that_identity_provider()
    {
        var result = Run("$c = [pscredential]::new('ldap-developer', $secret); Connect-CfTarget $api -Credential $c -Origin ldap -Organization demo-org -Space demo-space", "ldap-password");

        Assert.Null(result.FirstError);
        Assert.Equal("ldap-developer", Assert.Single(result.As<CfTarget>()).User);
        Assert.Contains("login_hint=", Assert.Single(_fixture.Fake.State.Requests(), r => r.Path.EndsWith("/oauth/token", StringComparison.Ordinal)).Query,
            StringComparison.Ordinal);
    }

    [Fact]
    public void An_origin_uaa_does_not_know_is_an_authentication_error_with_uaas_words()
    {
        AuthenticationError(Run("$c = [pscredential]::new('developer', $secret); Connect-CfTarget $api -Credential $c -Origin corp-sso", "developer-password"),
            "does not match an active Identity Provider", "developer-password");
    }

    // ----- -Assertion

    [Fact]
    public void An_assertion_connects_its_subject_and_may_name_another_client()
    {
        var assertion = _fixture.Fake.State.MintAssertion(new());
        var result = Run("Connect-CfTarget $api -Assertion $secret -Organization demo-org -Space demo-space", assertion);
        Assert.Null(result.FirstError);
        Assert.Equal("deploy-bot", Assert.Single(result.As<CfTarget>()).User);

        var other = Run(
            "$client = [pscredential]::new('cftasks-oidc', (ConvertTo-SecureString 'oidc-client-secret' -AsPlainText -Force)); " +
            "Connect-CfTarget $api -Assertion $secret -ClientCredential $client", _fixture.Fake.State.MintAssertion(new()));
        Assert.Null(other.FirstError);
        Assert.Equal("deploy-bot", Assert.Single(other.As<CfTarget>()).User);
    }

    [Fact]
    public void An_expired_or_malformed_assertion_or_a_client_without_the_grant_is_an_authentication_error()
    {
        var expired = _fixture.Fake.State.MintAssertion(new() { ExpiresInSeconds = 0 });
        AuthenticationError(Run("Connect-CfTarget $api -Assertion $secret", expired), "Token does not bear a valid EXP claim.", expired);
        AuthenticationError(Run("Connect-CfTarget $api -Assertion $secret", "not.a.jwt"), "Invalid token", "not.a.jwt");

        var valid = _fixture.Fake.State.MintAssertion(new());
        AuthenticationError(Run(
            "$client = [pscredential]::new('cftasks-ci', (ConvertTo-SecureString 'ci-client-secret' -AsPlainText -Force)); " +
            "Connect-CfTarget $api -Assertion $secret -ClientCredential $client", valid), "Unauthorized grant type", valid);
    }

    [Fact]
    public void When_an_assertion_session_cannot_be_renewed_the_error_says_to_connect_with_a_fresh_assertion()
    {
        _fixture.Fake.State.SetAssertionRefreshTokens(false);
        Assert.Null(Run("Connect-CfTarget $api -Assertion $secret -Organization demo-org -Space demo-space | Out-Null", _fixture.Fake.State.MintAssertion(new())).FirstError);
        _fixture.Fake.State.ExpireTokens();

        var error = Assert.IsType<ErrorRecord>(_ps.Run("Get-CfApp").FirstError);

        Assert.StartsWith("CfSessionExpired,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("fresh assertion", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("Connect-CfTarget", error.ErrorDetails!.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void Organization_and_space_complete_in_every_sign_in_mode()
    {
        _ps.Connect(_fixture.Api);
        foreach (var mode in new[] { "-Sso", "-Passcode $p", "-Assertion $a", "-Credential $c -Origin ldap" })
        {
            var line = $"Connect-CfTarget -ApiEndpoint {_fixture.Api} {mode} -Organization demo-org -Space o";
            var completions = _ps.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText",
                new Dictionary<string, object?> { ["line"] = line });
            Assert.Equal(["other-space"], completions.Output.Select(o => o.ToString()));
        }
    }
}
