using System.Net;
using CfTasks.Client.Errors;
using FakeCloudFoundry.Identity;

namespace CfTasks.Client.Tests;

/// <summary>
/// The sign-ins a foundation offers besides a password and a client secret: one-time SSO passcodes, identity origins and
/// JWT bearer assertions (issue 14) — each renewed like the others, each refused with UAA's own words and no secret.
/// </summary>
public sealed class SignInModeTests : IClassFixture<ClientFixture>
{
    private readonly ClientFixture _fixture;

    public SignInModeTests(ClientFixture fixture)
    {
        _fixture = fixture;
        fixture.Fake.State.Reset();
    }

    private Task<CfSession> ConnectAsync(CfCredential credential, CfClientOptions? options = null) =>
        CfSession.ConnectAsync(new CfConnectRequest(_fixture.Api, credential)
        {
            Organization = "demo-org",
            Space = "demo-space",
            Options = options ?? ClientFixture.FastOptions,
        }, CancellationToken.None);

    private async Task<CfException> RefusedAsync(CfCredential credential, CfClientOptions? options = null)
    {
        var error = await Assert.ThrowsAsync<CfException>(() => ConnectAsync(credential, options));
        Assert.Equal(CfFailure.AuthenticationFailed, error.Failure);
        Assert.Equal(CfErrorKind.Authentication, error.Kind);
        Assert.Equal(401, error.StatusCode);
        return error;
    }

    // ----- one-time passcodes

    [Fact]
    public async Task A_passcode_signs_its_user_in_and_targets_the_space()
    {
        var passcode = _fixture.Fake.State.IssuePasscode("developer");
        _fixture.Fake.State.ClearRequests();

        using var session = await ConnectAsync(new CfCredential.Passcode(passcode));

        Assert.Equal("developer", session.Target.User);
        Assert.Equal("demo-space", session.Target.Space);
        var token = Assert.Single(_fixture.Fake.State.Requests(), r => r.Path.EndsWith("/oauth/token", StringComparison.Ordinal));
        Assert.Equal("/login/oauth/token", token.Path);
        Assert.Equal("basic", token.Auth);
    }

    [Fact]
    public async Task A_used_or_wrong_passcode_is_refused_with_uaas_words_and_never_shown()
    {
        var passcode = _fixture.Fake.State.IssuePasscode("developer");
        using (await ConnectAsync(new CfCredential.Passcode(passcode))) { }

        var used = await RefusedAsync(new CfCredential.Passcode(passcode));
        Assert.Contains("Invalid passcode", used.Message, StringComparison.Ordinal);
        Assert.Contains("one-time passcode", used.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(passcode, used.ToString(), StringComparison.Ordinal);

        var wrong = await RefusedAsync(new CfCredential.Passcode("Wr0ngPasscode-0123456789abcdefgh"));
        Assert.Contains("Invalid passcode", wrong.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Wr0ngPasscode", wrong.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_passcode_session_renews_with_its_refresh_token_and_never_sends_the_passcode_again()
    {
        using var session = await ConnectAsync(new CfCredential.Passcode(_fixture.Fake.State.IssuePasscode("developer")));
        _fixture.Fake.State.ExpireTokens();
        _fixture.Fake.State.ClearRequests();

        await session.Apps.GetByNameAsync("training-app", CancellationToken.None);
        Assert.Equal(1, _fixture.TokenRequests());

        _fixture.Fake.State.ExpireTokens();
        _fixture.Fake.State.RevokeRefreshTokens();
        _fixture.Fake.State.ClearRequests();
        var error = await Assert.ThrowsAsync<CfException>(() => session.Apps.GetByNameAsync("training-app", CancellationToken.None));

        Assert.Equal(CfFailure.SessionExpired, error.Failure);
        Assert.Contains("new passcode", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _fixture.TokenRequests()); // the refresh attempt; the spent passcode is not tried
    }

    // ----- identity origins

    [Fact]
    public async Task An_origin_signs_in_that_providers_user_with_a_login_hint_in_the_query_as_the_cf_cli_does()
    {
        _fixture.Fake.State.ClearRequests();
        using var session = await ConnectAsync(new CfCredential.Password(new NetworkCredential("ldap-developer", "ldap-password")) { Origin = "ldap" });

        Assert.Equal("ldap-developer", session.Target.User);
        var token = Assert.Single(_fixture.Fake.State.Requests(), r => r.Path.EndsWith("/oauth/token", StringComparison.Ordinal));
        Assert.Equal("login_hint=" + Uri.EscapeDataString("{\"origin\":\"ldap\"}"), token.Query.TrimStart('?'));
    }

    [Fact]
    public async Task A_user_of_another_origin_or_an_origin_uaa_does_not_know_is_refused_with_uaas_words()
    {
        var otherOrigin = await RefusedAsync(new CfCredential.Password(new NetworkCredential("developer", "developer-password")) { Origin = "ldap" });
        Assert.Contains("Bad credentials", otherOrigin.Message, StringComparison.Ordinal);
        Assert.Contains("origin 'ldap'", otherOrigin.Message, StringComparison.Ordinal);

        var unknown = await RefusedAsync(new CfCredential.Password(new NetworkCredential("developer", "developer-password")) { Origin = "corp-sso" });
        Assert.Contains("does not match an active Identity Provider", unknown.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("developer-password", unknown.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_origin_session_signs_in_again_with_the_same_origin_when_renewal_fails()
    {
        using var session = await ConnectAsync(new CfCredential.Password(new NetworkCredential("ldap-developer", "ldap-password")) { Origin = "ldap" });
        _fixture.Fake.State.ExpireTokens();
        _fixture.Fake.State.RevokeRefreshTokens();
        _fixture.Fake.State.ClearRequests();

        await session.Apps.GetByNameAsync("training-app", CancellationToken.None);

        var tokens = _fixture.Fake.State.Requests().Where(r => r.Path.EndsWith("/oauth/token", StringComparison.Ordinal)).ToList();
        Assert.Equal([401, 200], tokens.Select(t => t.Status));
        Assert.Contains("login_hint=", tokens[1].Query, StringComparison.Ordinal);
    }

    // ----- JWT bearer assertions

    [Fact]
    public async Task An_assertion_signs_in_its_subject_with_the_cf_client()
    {
        _fixture.Fake.State.ClearRequests();
        using var session = await ConnectAsync(new CfCredential.Assertion(_fixture.Fake.State.MintAssertion(new AssertionSpec())));

        Assert.Equal("deploy-bot", session.Target.User);
        Assert.Equal("demo-space", session.Target.Space);
        Assert.Equal("basic", Assert.Single(_fixture.Fake.State.Requests(), r => r.Path.EndsWith("/oauth/token", StringComparison.Ordinal)).Auth);
    }

    [Fact]
    public async Task An_assertion_session_renews_with_its_refresh_token()
    {
        using var session = await ConnectAsync(new CfCredential.Assertion(_fixture.Fake.State.MintAssertion(new AssertionSpec())));
        _fixture.Fake.State.ExpireTokens();
        _fixture.Fake.State.ClearRequests();

        await session.Apps.GetByNameAsync("training-app", CancellationToken.None);
        Assert.Equal(1, _fixture.TokenRequests());
    }

    [Fact]
    public async Task Without_a_refresh_token_an_expiring_assertion_session_asks_for_a_fresh_assertion_and_reuses_nothing()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        _fixture.Fake.State.SetAssertionRefreshTokens(false);
        using var session = await ConnectAsync(new CfCredential.Assertion(_fixture.Fake.State.MintAssertion(new AssertionSpec())),
            ClientFixture.FastOptions with { Clock = clock });
        _fixture.Fake.State.ClearRequests();

        clock.Advance(session.TokenExpiresAt!.Value - clock.GetUtcNow() - TimeSpan.FromSeconds(30));
        var error = await Assert.ThrowsAsync<CfException>(() => session.Apps.GetByNameAsync("training-app", CancellationToken.None));

        Assert.Equal(CfFailure.SessionExpired, error.Failure);
        Assert.Equal(CfErrorKind.Authentication, error.Kind);
        Assert.Contains("without a refresh token", error.Message, StringComparison.Ordinal);
        Assert.Contains("fresh assertion", error.Message, StringComparison.Ordinal);
        Assert.Empty(_fixture.Fake.State.Requests());
    }

    [Fact]
    public async Task An_assertion_rejected_by_the_api_without_a_refresh_token_asks_for_a_fresh_assertion()
    {
        _fixture.Fake.State.SetAssertionRefreshTokens(false);
        using var session = await ConnectAsync(new CfCredential.Assertion(_fixture.Fake.State.MintAssertion(new AssertionSpec())));
        _fixture.Fake.State.ExpireTokens();
        _fixture.Fake.State.ClearRequests();

        var error = await Assert.ThrowsAsync<CfException>(() => session.Apps.GetByNameAsync("training-app", CancellationToken.None));

        Assert.Equal(CfFailure.SessionExpired, error.Failure);
        Assert.Contains("fresh assertion", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _fixture.TokenRequests());
    }

    [Fact]
    public async Task An_assertion_with_a_non_default_client_signs_in_with_that_client()
    {
        var options = ClientFixture.FastOptions with { OAuthClientId = "cftasks-oidc", OAuthClientSecret = "oidc-client-secret" };
        using var session = await ConnectAsync(new CfCredential.Assertion(_fixture.Fake.State.MintAssertion(new AssertionSpec())), options);

        Assert.Equal("deploy-bot", session.Target.User);
        Assert.Equal("cftasks-oidc", session.Tokens.Claims!.ClientId);
    }

    public static TheoryData<string, string> BadAssertions => new()
    {
        { "expired", "Token does not bear a valid EXP claim." },
        { "malformed", "Invalid token" },
        { "untrusted issuer", "Unable to map issuer, https://evil.example.test" },
        { "bad signature", "Could not verify token signature." },
        { "client without the grant", "Unauthorized grant type: urn:ietf:params:oauth:grant-type:jwt-bearer" },
    };

    [Theory]
    [MemberData(nameof(BadAssertions))]
    public async Task A_bad_assertion_is_refused_with_uaas_words_and_never_shown(string what, string uaaWords)
    {
        var state = _fixture.Fake.State;
        var (assertion, options) = what switch
        {
            "expired" => (state.MintAssertion(new AssertionSpec { ExpiresInSeconds = 0 }), ClientFixture.FastOptions),
            "malformed" => ("not-a-jwt-at-all", ClientFixture.FastOptions),
            "untrusted issuer" => (state.MintAssertion(new AssertionSpec { Issuer = "https://evil.example.test" }), ClientFixture.FastOptions),
            "bad signature" => (state.MintAssertion(new AssertionSpec { BadSignature = true }), ClientFixture.FastOptions),
            _ => (state.MintAssertion(new AssertionSpec()), ClientFixture.FastOptions with { OAuthClientId = "cftasks-ci", OAuthClientSecret = "ci-client-secret" }),
        };

        var error = await RefusedAsync(new CfCredential.Assertion(assertion), options);

        Assert.Contains(uaaWords, error.Message, StringComparison.Ordinal);
        Assert.Contains("JWT assertion", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(assertion, error.ToString(), StringComparison.Ordinal);
    }

    // ----- the token itself, and forgetting it

    [Fact]
    public async Task The_access_token_is_handed_out_renewed_first_when_it_is_about_to_expire()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        using var session = await _fixture.ConnectAsync(options: ClientFixture.FastOptions with { Clock = clock });
        _fixture.Fake.State.ClearRequests();

        var first = await session.GetAccessTokenAsync(CancellationToken.None);
        Assert.Equal(0, _fixture.TokenRequests());
        Assert.Equal(session.TokenExpiresAt, first.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, first.ExpiresAt!.Value.Offset);
        Assert.Equal(_fixture.Api.ToString().TrimEnd('/'), first.ApiEndpoint.ToString().TrimEnd('/'));
        Assert.Equal("bearer", first.TokenType);
        Assert.DoesNotContain(first.AccessToken, first.ToString(), StringComparison.Ordinal);

        clock.Advance(first.ExpiresAt.Value - clock.GetUtcNow() - TimeSpan.FromSeconds(30));
        var renewed = await session.GetAccessTokenAsync(CancellationToken.None);

        Assert.Equal(1, _fixture.TokenRequests());
        Assert.NotEqual(first.AccessToken, renewed.AccessToken);
        Assert.True(renewed.ExpiresAt >= first.ExpiresAt);
    }

    [Fact]
    public async Task A_closed_session_has_no_tokens_and_asks_uaa_for_none()
    {
        var session = await _fixture.ConnectAsync();
        session.Dispose();
        _fixture.Fake.State.ClearRequests();

        var error = await Assert.ThrowsAsync<CfException>(() => session.GetAccessTokenAsync(CancellationToken.None));

        Assert.Equal(CfFailure.NotConnected, error.Failure);
        Assert.Null(session.TokenExpiresAt);
        Assert.Null(session.Tokens.Claims);
        Assert.Empty(_fixture.Fake.State.Requests());
    }
}
