using CfTasks.Client.Errors;
using CfTasks.Client.Http;

namespace CfTasks.Client.Tests;

/// <summary>Tokens are renewed ahead of expiry, after a CF-InvalidAuthToken (once, shared), and failures say "connect again".</summary>
public sealed class TokenRenewalTests : IClassFixture<ClientFixture>
{
    private readonly ClientFixture _fixture;

    public TokenRenewalTests(ClientFixture fixture)
    {
        _fixture = fixture;
        fixture.Fake.State.Reset();
    }

    [Fact]
    public async Task A_token_close_to_expiry_is_renewed_before_the_call_with_the_refresh_token()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        using var session = await _fixture.ConnectAsync(options: ClientFixture.FastOptions with { Clock = clock });
        var firstExpiry = session.TokenExpiresAt!.Value;
        _fixture.Fake.State.ClearRequests();

        await session.Apps.GetByNameAsync("training-app", CancellationToken.None);
        Assert.Equal(0, _fixture.TokenRequests());

        clock.Advance(firstExpiry - clock.GetUtcNow().UtcDateTime - TimeSpan.FromSeconds(30)); // 30 s left: inside the 1-minute margin
        await session.Apps.GetByNameAsync("training-app", CancellationToken.None);

        Assert.Equal(1, _fixture.TokenRequests());
        Assert.DoesNotContain(_fixture.Fake.State.Requests(), r => r.Status == 401);
        Assert.Equal(1, session.Tokens.RenewalCount);
    }

    [Fact]
    public async Task An_expired_token_rejected_by_the_api_is_renewed_once_and_the_call_replayed()
    {
        using var session = await _fixture.ConnectAsync();
        _fixture.Fake.State.ExpireTokens();
        _fixture.Fake.State.ClearRequests();

        var app = await session.Apps.GetByNameAsync("training-app", CancellationToken.None);

        Assert.Equal("training-app", app.Name);
        Assert.Equal(1, _fixture.TokenRequests());
        var appCalls = _fixture.Fake.State.Requests().Where(r => r.Path == "/v3/apps").ToList();
        Assert.Equal([401, 200], appCalls.Select(r => r.Status));
    }

    [Fact]
    public async Task Concurrent_calls_rejected_together_share_one_renewal()
    {
        using var session = await _fixture.ConnectAsync();
        _fixture.Fake.State.ExpireTokens();
        _fixture.Fake.State.ClearRequests();

        var calls = Enumerable.Range(0, 12).Select(_ => session.Apps.GetByNameAsync("billing-api", CancellationToken.None));
        var apps = await Task.WhenAll(calls);

        Assert.All(apps, a => Assert.Equal("billing-api", a.Name));
        Assert.Equal(1, _fixture.TokenRequests());
    }

    [Fact]
    public async Task Client_credentials_sessions_renew_by_granting_again()
    {
        using var session = await _fixture.ConnectClientAsync();
        _fixture.Fake.State.ExpireTokens();
        _fixture.Fake.State.ClearRequests();

        await session.Apps.GetByNameAsync("training-app", CancellationToken.None);
        Assert.Equal(1, _fixture.TokenRequests());
    }

    [Fact]
    public async Task When_renewal_fails_the_error_says_to_connect_again()
    {
        using var session = await _fixture.ConnectAsync(options: ClientFixture.FastOptions);
        _fixture.Fake.State.ExpireTokens();
        _fixture.Fake.State.RevokeRefreshTokens();

        // A password session could sign in again by itself; the cf CLI's own session (tokens only) cannot.
        var access = await session.Tokens.GetAccessTokenAsync(CancellationToken.None);
        var error = await Assert.ThrowsAsync<CfException>(() => ReuseTokensAsync(access));

        Assert.Equal(CfErrorKind.Authentication, error.Kind);
        Assert.Equal(CfFailure.SessionExpired, error.Failure);
        Assert.Contains("could not be renewed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Connect-CfTarget", error.Message, StringComparison.Ordinal); // what to run is the cmdlets' advice (ErrorCatalog)
        Assert.DoesNotContain(access, error.ToString(), StringComparison.Ordinal);
    }

    private async Task<CfSession> ReuseTokensAsync(string access)
    {
        var session = await CfSession.ConnectAsync(
            new CfConnectRequest(_fixture.Api, new CfCredential.ExistingTokens(access, "0123456789abcdef0123456789abcdef-r", null))
            {
                Options = ClientFixture.FastOptions,
            }, CancellationToken.None).ConfigureAwait(false);
        await session.Targeting.SetTargetAsync("demo-org", "demo-space", CancellationToken.None).ConfigureAwait(false);
        return session;
    }
}
