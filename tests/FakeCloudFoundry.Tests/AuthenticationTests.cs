using System.Net;

namespace FakeCloudFoundry.Tests;

public sealed class AuthenticationTests : IAsyncLifetime
{
    private FakeSession _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeSession.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Missing_or_non_bearer_authorization_is_NotAuthenticated_and_a_bad_token_is_InvalidAuthToken()
    {
        var missing = await _fake.GetAsync("/v3/apps", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);
        Assert.Equal(10002, missing.ErrorCode);
        Assert.False(missing.Headers.ContainsKey("WWW-Authenticate"));

        var basic = new HttpRequestMessage(HttpMethod.Get, "/v3/apps");
        basic.Headers.TryAddWithoutValidation("Authorization", "Basic Y2Y6");
        Assert.Equal(10002, (await _fake.SendAsync(basic)).ErrorCode);

        var token = await _fake.LoginAsync();
        Assert.Equal(1000, (await _fake.GetAsync("/v3/apps", token[..^2] + "xx")).ErrorCode);

        var upperCase = new HttpRequestMessage(HttpMethod.Get, "/v3/apps");
        upperCase.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        Assert.Equal(HttpStatusCode.OK, (await _fake.SendAsync(upperCase)).Status);
    }

    [Fact]
    public async Task Tokens_expire_by_the_fake_clock_and_on_demand()
    {
        _fake.State.SetAccessTokenLifetime(30);
        var token = await _fake.LoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await _fake.GetAsync("/v3/apps", token)).Status);
        _fake.State.AdvanceClock(TimeSpan.FromSeconds(31));
        var expired = await _fake.GetAsync("/v3/apps", token);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        Assert.Equal(1000, expired.ErrorCode);

        var fresh = await _fake.LoginAsync();
        _fake.State.ExpireTokens();
        Assert.Equal(1000, (await _fake.GetAsync("/v3/apps", fresh)).ErrorCode);
        Assert.Equal(HttpStatusCode.OK, (await _fake.GetAsync("/v3/apps", await _fake.LoginAsync())).Status);
    }

    [Fact]
    public async Task Access_tokens_are_JWTs_with_the_claims_a_client_reads()
    {
        var reply = await _fake.PasswordGrantAsync("developer", "developer-password", "/uaa/oauth/token");
        var claims = JwtClaims.Of(reply.Body["access_token"]!.GetValue<string>());
        Assert.Equal("developer", claims["user_name"]!.GetValue<string>());
        Assert.Equal("uaa", claims["origin"]!.GetValue<string>());
        Assert.NotNull(claims["user_id"]);
        var exp = claims["exp"]!.GetValue<long>();
        Assert.InRange(exp - _fake.State.Now.ToUnixTimeSeconds(), 1190, 1201);
        Assert.Equal(1199, reply.Body["expires_in"]!.GetValue<int>());
        Assert.Matches("^[0-9a-f]{32}-r$", reply.Body["refresh_token"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refresh_tokens_renew_until_revoked()
    {
        var login = await _fake.PasswordGrantAsync("developer", "developer-password");
        var refreshToken = login.Body["refresh_token"]!.GetValue<string>();
        _fake.State.ExpireTokens();

        var renewed = await _fake.FormAsync("/login/oauth/token", "grant_type=refresh_token&refresh_token=" + refreshToken, "cf:");
        Assert.Equal(HttpStatusCode.OK, renewed.Status);
        Assert.Equal(HttpStatusCode.OK, (await _fake.GetAsync("/v3/apps", renewed.Body["access_token"]!.GetValue<string>())).Status);

        _fake.State.RevokeRefreshTokens();
        var revoked = await _fake.FormAsync("/login/oauth/token", "grant_type=refresh_token&refresh_token=" + refreshToken, "cf:");
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.Status);
        Assert.Equal("invalid_token", revoked.Body["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Client_credentials_get_no_refresh_token_and_act_as_developer_in_demo_space()
    {
        var reply = await _fake.FormAsync("/login/oauth/token", "client_id=cftasks-ci&client_secret=ci-client-secret&grant_type=client_credentials");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.False(reply.Body.AsObject().ContainsKey("refresh_token"));
        var token = reply.Body["access_token"]!.GetValue<string>();
        var claims = JwtClaims.Of(token);
        Assert.Equal("cftasks-ci", claims["client_id"]!.GetValue<string>());
        Assert.False(claims.AsObject().ContainsKey("user_name"));

        Assert.Equal(HttpStatusCode.Accepted, (await _fake.StartTaskAsync(token, _fake.App(), new { command = "echo ci" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _fake.StartTaskAsync(token, _fake.App("training-app", "other-space"), new { command = "echo ci" })).Status);
    }

    [Fact]
    public async Task Bad_client_secret_is_unauthorized_with_a_Basic_challenge()
    {
        var reply = await _fake.FormAsync("/login/oauth/token", "client_id=cftasks-ci&client_secret=wrong&grant_type=client_credentials");
        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("unauthorized", reply.Body["error"]!.GetValue<string>());
        Assert.Equal("Bad credentials", reply.Body["error_description"]!.GetValue<string>());
        Assert.StartsWith("Basic realm=\"UAA/client\"", reply.Headers["WWW-Authenticate"]);
    }
}
