using System.Management.Automation;
using System.Net;
using System.Net.Http.Headers;
using System.Security;
using CfTasks.Tests.Infrastructure;

namespace CfTasks.Tests;

/// <summary>Get-CfAccessToken, like <c>cf oauth-token</c>: the connection's token for the endpoints CfTasks does not wrap (issue 14).</summary>
public sealed class AccessTokenCmdletTests : IClassFixture<FakeFixture>, IDisposable
{
    private readonly FakeFixture _fixture;
    private readonly PowerShellSession _ps = new();

    public AccessTokenCmdletTests(FakeFixture fixture)
    {
        _fixture = fixture;
        fixture.Fake.State.Reset();
    }

    public void Dispose() => _ps.Dispose();

    private int TokenRequests() => _fixture.Fake.State.Requests().Count(r => r.Path.EndsWith("/oauth/token", StringComparison.Ordinal));

    private HttpStatusCode CallCloudController(string token)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, _fixture.Api + "/v3/apps");
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", token);
        return http.Send(request).StatusCode;
    }

    [Fact]
    public void The_token_is_a_secure_string_with_its_type_expiry_and_endpoint()
    {
        var target = _ps.Connect(_fixture.Api).As<CfTarget>().Single();

        var token = Assert.Single(_ps.Run("Get-CfAccessToken").As<CfAccessToken>());

        var secure = Assert.IsType<SecureString>(token.Token);
        Assert.True(secure.IsReadOnly());
        Assert.Equal("bearer", token.TokenType);
        Assert.Equal(target.TokenExpiresAt, token.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, token.ExpiresAt!.Value.Offset);
        Assert.Equal(target.ApiEndpoint, token.ApiEndpoint);
        Assert.Equal(HttpStatusCode.OK, CallCloudController(new NetworkCredential("", secure).Password));
    }

    [Fact]
    public void As_plain_text_the_token_is_a_string_the_cloud_controller_takes()
    {
        _ps.Connect(_fixture.Api);

        var token = Assert.Single(_ps.Run("Get-CfAccessToken -AsPlainText").As<CfAccessToken>());

        var text = Assert.IsType<string>(token.Token);
        Assert.Equal(HttpStatusCode.OK, CallCloudController(text));
    }

    [Fact]
    public void Invoke_RestMethod_calls_an_endpoint_CfTasks_does_not_wrap_with_the_secure_token()
    {
        _ps.Connect(_fixture.Api);

        var result = _ps.Run(
            "$t = Get-CfAccessToken; " +
            "(Invoke-RestMethod -Uri ([uri]::new($t.ApiEndpoint, '/v3/spaces')) -Authentication Bearer -Token $t.Token -AllowUnencryptedAuthentication).resources.name");

        Assert.Null(result.FirstError);
        Assert.Contains("demo-space", result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void The_token_is_renewed_first_when_it_is_about_to_expire_and_not_otherwise()
    {
        _fixture.Fake.State.SetAccessTokenLifetime(0); // every token is already at its end
        _ps.Connect(_fixture.Api, org: null, space: null);
        _fixture.Fake.State.ClearRequests();

        var first = _ps.Run("(Get-CfAccessToken -AsPlainText).Token").Output.Single().ToString();
        Assert.Equal(1, TokenRequests());

        _fixture.Fake.State.SetAccessTokenLifetime(1200);
        var renewed = _ps.Run("(Get-CfAccessToken -AsPlainText).Token").Output.Single().ToString();
        Assert.Equal(2, TokenRequests());
        Assert.NotEqual(first, renewed);

        var again = _ps.Run("(Get-CfAccessToken -AsPlainText).Token").Output.Single().ToString();
        Assert.Equal(2, TokenRequests());
        Assert.Equal(renewed, again);
        Assert.Equal(HttpStatusCode.OK, CallCloudController(again!));
    }

    [Fact]
    public void Target_picks_the_connection_and_without_one_the_error_is_not_connected()
    {
        var developer = _ps.Connect(_fixture.Api).As<CfTarget>().Single();
        _ps.Connect(_fixture.Api, user: "admin", password: "admin-password");

        var token = _ps.Run("(Get-CfAccessToken -Target $t -AsPlainText).Token", new Dictionary<string, object?> { ["t"] = developer }).Output.Single().ToString()!;
        Assert.Contains("developer", JwtPayload(token), StringComparison.Ordinal);

        _ps.Run("Disconnect-CfTarget -All");
        var error = Assert.IsType<ErrorRecord>(_ps.Run("Get-CfAccessToken").FirstError);
        Assert.StartsWith("CfNotConnected,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    [Fact]
    public void The_token_is_written_nowhere_but_the_output_object_not_even_by_its_views()
    {
        _ps.Connect(_fixture.Api);
        var plain = _ps.Run("(Get-CfAccessToken -AsPlainText).Token").Output.Single().ToString()!;

        var result = _ps.Run(
            "$t = Get-CfAccessToken -AsPlainText -Verbose -Debug; " +
            "($t | Format-Table | Out-String) + ($t | Format-List | Out-String) + ($t | Out-String) + \"$t\"");

        Assert.Null(result.FirstError);
        var shown = result.Output.Single().ToString()!;
        Assert.Contains("bearer", shown, StringComparison.Ordinal);
        Assert.Contains(_fixture.Api, shown, StringComparison.Ordinal);
        var signature = plain.Split('.')[2]; // the part of a JWT no other token shares
        Assert.DoesNotContain(signature, shown, StringComparison.Ordinal);
        Assert.DoesNotContain(signature, string.Join('\n', result.Verbose.Concat(result.Debug).Concat(result.Warnings).Concat(result.Information)), StringComparison.Ordinal);
    }

    private static string JwtPayload(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=')));
    }
}
