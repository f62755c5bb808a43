using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using FakeCloudFoundry.Identity;

namespace FakeCloudFoundry.Tests;

/// <summary>The other ways the cf CLI signs in: one-time passcodes (SSO), identity origins (login_hint), JWT bearer assertions.</summary>
public sealed class SignInModeTests : IAsyncLifetime
{
    private const string JwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private const string UnmatchedOrigin = "The origin provided in the login_hint does not match an active Identity Provider, that supports password grant.";
    private FakeSession _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeSession.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    // ----- one-time passcodes -----

    [Fact]
    public async Task A_passcode_signs_its_user_in_once()
    {
        var passcode = (await _fake.SendJsonAsync(HttpMethod.Post, "/_fake/passcodes", null, new { user = "developer" })).Body["passcode"]!.GetValue<string>();
        Assert.Matches("^[0-9A-Za-z_-]{32}$", passcode);

        var first = await PasscodeGrant(passcode);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.NotNull(first.Body["refresh_token"]);
        var claims = JwtClaims.Of(first.Body["access_token"]!.GetValue<string>());
        Assert.Equal("developer", claims["user_name"]!.GetValue<string>());
        Assert.Equal("uaa", claims["origin"]!.GetValue<string>());
        Assert.Equal("password", claims["grant_type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await _fake.GetAsync("/v3/apps", first.Body["access_token"]!.GetValue<string>())).Status);

        var again = await PasscodeGrant(passcode);
        AssertUaaError(again, "unauthorized", "Invalid passcode");
        Assert.Equal("Bearer realm=\"oauth\", error=\"unauthorized\", error_description=\"Invalid passcode\"", again.Headers["WWW-Authenticate"]);
    }

    [Fact]
    public async Task Wrong_empty_expired_and_replaced_passcodes_are_refused()
    {
        AssertUaaError(await PasscodeGrant("not-a-code"), "unauthorized", "Invalid passcode");
        AssertUaaError(await PasscodeGrant(""), "unauthorized", "Passcode information is missing.");

        var expiring = _fake.State.IssuePasscode("developer");
        _fake.State.AdvanceClock(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        AssertUaaError(await PasscodeGrant(expiring), "unauthorized", "Invalid passcode");

        var replaced = _fake.State.IssuePasscode("auditor");
        var current = _fake.State.IssuePasscode("auditor");
        AssertUaaError(await PasscodeGrant(replaced), "unauthorized", "Invalid passcode");
        Assert.Equal(HttpStatusCode.OK, (await PasscodeGrant(current)).Status);
    }

    [Fact]
    public async Task The_login_prompts_name_the_passcode_page_the_login_host_serves()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/login/login");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var info = await _fake.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, info.Status);
        var prompts = info.Body["prompts"]!;
        Assert.Equal(["text", "Email"], prompts["username"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(["password", "Password"], prompts["password"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("password", prompts["passcode"]![0]!.GetValue<string>());
        var passcodeText = prompts["passcode"]![1]!.GetValue<string>();
        Assert.Equal($"Temporary Authentication Code ( Get one at {_fake.Api}/login/passcode )", passcodeText);
        Assert.Equal(_fake.Api + "/login", info.Body["links"]!["login"]!.GetValue<string>());

        var page = await _fake.GetAsync(passcodeText.Split(' ').Single(w => w.StartsWith("http", StringComparison.Ordinal)), null);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.StartsWith("text/html", page.Headers["Content-Type"]);
        Assert.Contains("/_fake/passcodes", page.Text);
        Assert.StartsWith("text/html", (await _fake.GetAsync("/login/login", null)).Headers["Content-Type"]);
    }

    // ----- identity origins -----

    [Fact]
    public async Task An_ldap_user_signs_in_with_the_origin_in_the_query_or_the_form_or_with_no_hint_at_all()
    {
        var hint = Uri.EscapeDataString("""{"origin":"ldap"}""");
        var inQuery = await _fake.FormAsync("/login/oauth/token?login_hint=" + hint, "grant_type=password&password=ldap-password&username=ldap-developer", "cf:");
        var inForm = await _fake.FormAsync("/login/oauth/token", "grant_type=password&login_hint=" + hint + "&password=ldap-password&username=ldap-developer", "cf:");
        var noHint = await _fake.PasswordGrantAsync("ldap-developer", "ldap-password");

        foreach (var reply in new[] { inQuery, inForm, noHint })
        {
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            var token = reply.Body["access_token"]!.GetValue<string>();
            var claims = JwtClaims.Of(token);
            Assert.Equal("ldap-developer", claims["user_name"]!.GetValue<string>());
            Assert.Equal("ldap", claims["origin"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.OK, (await _fake.GetAsync($"/v3/apps/{_fake.App().Guid}", token)).Status);
        }
        Assert.NotEqual(JwtClaims.Of(noHint.Body["access_token"]!.GetValue<string>())["user_id"]!.GetValue<string>(),
            JwtClaims.Of(await _fake.LoginAsync())["user_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_hint_limits_the_search_to_its_origin()
    {
        var uaaHint = Uri.EscapeDataString("""{"origin":"uaa"}""");
        var reply = await _fake.FormAsync("/login/oauth/token?login_hint=" + uaaHint, "grant_type=password&password=ldap-password&username=ldap-developer", "cf:");
        AssertUaaError(reply, "invalid_client", "Bad credentials");

        var garbled = await _fake.FormAsync("/login/oauth/token?login_hint=not-json", "grant_type=password&password=ldap-password&username=ldap-developer", "cf:");
        Assert.Equal(HttpStatusCode.OK, garbled.Status); // UAA ignores a hint it cannot read
    }

    [Theory]
    [InlineData("""{"origin":"no-such-idp"}""")]
    [InlineData("""{"origin":"ci-oidc"}""")]
    public async Task An_origin_without_a_password_provider_is_refused_with_UAAs_text(string hint)
    {
        var reply = await _fake.FormAsync("/login/oauth/token?login_hint=" + Uri.EscapeDataString(hint), "grant_type=password&password=developer-password&username=developer", "cf:");
        AssertUaaError(reply, "unauthorized", UnmatchedOrigin);
        Assert.Equal($"Basic realm=\"UAA/client\", error=\"unauthorized\", error_description=\"{UnmatchedOrigin}\"", reply.Headers["WWW-Authenticate"]);
    }

    // ----- JWT bearer assertions -----

    [Fact]
    public async Task A_trusted_assertion_signs_its_subject_in_with_a_refresh_token_for_cf()
    {
        var assertion = (await _fake.SendJsonAsync(HttpMethod.Post, "/_fake/assertions", null, new { subject = "deploy-bot" })).Body["assertion"]!.GetValue<string>();
        var reply = await AssertionGrant(assertion);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var token = reply.Body["access_token"]!.GetValue<string>();
        var claims = JwtClaims.Of(token);
        Assert.Equal("deploy-bot", claims["user_name"]!.GetValue<string>());
        Assert.Equal("ci-oidc", claims["origin"]!.GetValue<string>());
        Assert.Equal(JwtBearer, claims["grant_type"]!.GetValue<string>());
        Assert.Equal("cf", claims["client_id"]!.GetValue<string>());
        Assert.NotNull(claims["user_id"]);
        Assert.Equal(HttpStatusCode.Accepted, (await _fake.StartTaskAsync(token, _fake.App(), new { command = "echo from ci" })).Status);

        var refreshed = await _fake.FormAsync("/login/oauth/token", "grant_type=refresh_token&refresh_token=" + reply.Body["refresh_token"]!.GetValue<string>(), "cf:");
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal("ci-oidc", JwtClaims.Of(refreshed.Body["access_token"]!.GetValue<string>())["origin"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_the_refresh_token_grant_or_with_them_turned_off_an_assertion_gets_no_refresh_token()
    {
        var ciClient = await AssertionGrant(_fake.State.MintAssertion(new AssertionSpec()), "cftasks-oidc:oidc-client-secret");
        Assert.Equal(HttpStatusCode.OK, ciClient.Status);
        Assert.False(ciClient.Body.AsObject().ContainsKey("refresh_token"));
        Assert.Equal("cftasks-oidc", JwtClaims.Of(ciClient.Body["access_token"]!.GetValue<string>())["client_id"]!.GetValue<string>());

        await _fake.SendJsonAsync(HttpMethod.Post, "/_fake/uaa", null, new { assertionRefreshTokens = false });
        var cf = await AssertionGrant(_fake.State.MintAssertion(new AssertionSpec()));
        Assert.Equal(HttpStatusCode.OK, cf.Status);
        Assert.False(cf.Body.AsObject().ContainsKey("refresh_token"));
        Assert.True((await _fake.PasswordGrantAsync("developer", "developer-password")).Body.AsObject().ContainsKey("refresh_token"));

        _fake.State.Reset();
        Assert.True((await AssertionGrant(_fake.State.MintAssertion(new AssertionSpec()))).Body.AsObject().ContainsKey("refresh_token"));
    }

    public static TheoryData<string, string, string> Rejected => new()
    {
        { """{"issuer":"https://untrusted.test"}""", "unauthorized", "Unable to map issuer, https://untrusted.test , to a single registered provider" },
        { """{"badSignature":true}""", "invalid_token", "Could not verify token signature." },
        { """{"expiresInSeconds":-1}""", "invalid_token", "Token does not bear a valid EXP claim." },
        { """{"audience":["someone-else"]}""", "invalid_token", "Some parties were not in the token audience: cloudfoundry" },
        { """{"issuer":""}""", "unauthorized", "Issuer is missing in id_token" },
        { """{"subject":""}""", "unauthorized", "Unable to map claim to a username" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task Assertions_UAA_cannot_trust_are_refused_with_its_error(string mint, string error, string description)
    {
        var assertion = (await _fake.SendJsonAsync(HttpMethod.Post, "/_fake/assertions", null, mint)).Body["assertion"]!.GetValue<string>();
        var reply = await AssertionGrant(assertion);
        AssertUaaError(reply, error, description);
        Assert.Equal($"Basic realm=\"UAA/client\", error=\"{error}\", error_description=\"{description}\"", reply.Headers["WWW-Authenticate"]);
    }

    [Fact]
    public async Task Malformed_or_missing_assertions_and_clients_without_the_grant_are_refused()
    {
        AssertUaaError(await AssertionGrant("not.a.jwt"), "invalid_token", "Invalid token");
        AssertUaaError(await AssertionGrant(""), "unauthorized", "Unable to decode expected id_token");
        AssertUaaError(await _fake.FormAsync("/login/oauth/token", "grant_type=" + Uri.EscapeDataString(JwtBearer), "cf:"), "unauthorized", "Assertion is missing");

        var notAllowed = await AssertionGrant(_fake.State.MintAssertion(new AssertionSpec()), "cftasks-ci:ci-client-secret");
        AssertUaaError(notAllowed, "invalid_client", "Unauthorized grant type: " + JwtBearer);
    }

    [Fact]
    public async Task An_unknown_subject_becomes_a_user_without_roles_and_more_issuers_can_be_trusted()
    {
        await _fake.SendJsonAsync(HttpMethod.Post, "/_fake/issuers", null, new { issuer = "https://token.actions.test", origin = "github", audience = "cf-prod" });
        var assertion = _fake.State.MintAssertion(new AssertionSpec { Issuer = "https://token.actions.test", Subject = "repo:acme/app:ref:refs/heads/main" });
        var reply = await AssertionGrant(assertion);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var token = reply.Body["access_token"]!.GetValue<string>();
        Assert.Equal("github", JwtClaims.Of(token)["origin"]!.GetValue<string>());
        Assert.Empty((await _fake.GetAsync("/v3/apps", token)).Body["resources"]!.AsArray());
    }

    [Fact]
    public async Task Assertion_tokens_follow_the_lifetime_and_expiry_controls()
    {
        _fake.State.SetAccessTokenLifetime(60);
        var reply = await AssertionGrant(_fake.State.MintAssertion(new AssertionSpec()));
        var token = reply.Body["access_token"]!.GetValue<string>();
        Assert.Equal(59, reply.Body["expires_in"]!.GetValue<int>());
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(61));
        Assert.Equal(1000, (await _fake.GetAsync("/v3/apps", token)).ErrorCode);
    }

    [Fact]
    public async Task A_lifetime_of_zero_issues_tokens_that_are_expired_as_they_are_issued()
    {
        _fake.State.SetAccessTokenLifetime(0);
        var reply = await AssertionGrant(_fake.State.MintAssertion(new AssertionSpec()));
        var token = reply.Body["access_token"]!.GetValue<string>();
        var claims = JwtClaims.Of(token);

        Assert.Equal(0, reply.Body["expires_in"]!.GetValue<int>());
        Assert.Equal(claims["iat"]!.GetValue<long>(), claims["exp"]!.GetValue<long>());
        Assert.Equal(1000, (await _fake.GetAsync("/v3/apps", token)).ErrorCode);
        Assert.Throws<ArgumentOutOfRangeException>(() => _fake.State.SetAccessTokenLifetime(-1));
    }

    private Task<Reply> PasscodeGrant(string passcode) =>
        _fake.FormAsync("/login/oauth/token", "grant_type=password&passcode=" + Uri.EscapeDataString(passcode), "cf:");

    private Task<Reply> AssertionGrant(string assertion, string client = "cf:") =>
        _fake.FormAsync("/login/oauth/token", $"assertion={Uri.EscapeDataString(assertion)}&grant_type={Uri.EscapeDataString(JwtBearer)}", client);

    private static void AssertUaaError(Reply reply, string error, string description)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal(error, reply.Body["error"]!.GetValue<string>());
        Assert.Equal(description, reply.Body["error_description"]!.GetValue<string>());
    }
}
