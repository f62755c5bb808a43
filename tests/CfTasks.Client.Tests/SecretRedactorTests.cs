using CfTasks.Client.Http;

namespace CfTasks.Client.Tests;

/// <summary>The trace rules: at least the cf CLI's (headers, JSON keys, query values, URL credentials).</summary>
public sealed class SecretRedactorTests
{
    private const string Hidden = SecretRedactor.Hidden;

    [Theory]
    [InlineData("Authorization")]
    [InlineData("authorization")]
    [InlineData("Set-Cookie")]
    [InlineData("Cookie")]
    [InlineData("Proxy-Authorization")]
    public void Secret_headers_are_hidden(string header) => Assert.True(SecretRedactor.IsSecretHeader(header));

    [Theory]
    [InlineData("Content-Type")]
    [InlineData("X-Cf-Warnings")]
    public void Ordinary_headers_are_shown(string header) => Assert.False(SecretRedactor.IsSecretHeader(header));

    [Fact]
    public void Every_json_key_about_tokens_passwords_or_secrets_is_redacted_at_any_depth()
    {
        var body = """{"access_token":"eyJa.b.c","token_type":"bearer","refresh_token":"abc-r","expires_in":1199,"nested":{"password":"p4ss","client_secret":"s3c","name":"visible"},"list":[{"id_token":"x"}]}""";
        var redacted = SecretRedactor.RedactBody(body, "application/json");

        Assert.DoesNotContain("eyJa.b.c", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("abc-r", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("p4ss", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("s3c", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("\"x\"", redacted, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"visible\"", redacted, StringComparison.Ordinal);
        Assert.Contains("\"expires_in\":1199", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Form_bodies_hide_passwords_secrets_and_tokens()
    {
        var redacted = SecretRedactor.RedactBody("client_id=ci&client_secret=s%2B3&grant_type=client_credentials&password=p&refresh_token=r-r", "application/x-www-form-urlencoded");
        Assert.Equal($"client_id=ci&client_secret={Hidden}&grant_type=client_credentials&password={Hidden}&refresh_token={Hidden}", redacted);
    }

    [Fact]
    public void Urls_lose_user_info_and_password_and_code_query_values()
    {
        var redacted = SecretRedactor.RedactUrl(new Uri("https://admin:hunter2@api.example.com/v3/apps?names=a&password=p&code=c0de&page=2"));
        Assert.Equal($"https://api.example.com/v3/apps?names=a&password={Hidden}&code={Hidden}&page=2", redacted);
    }

    [Fact]
    public void Bearer_tokens_and_jwts_in_free_text_are_masked()
    {
        var text = SecretRedactor.RedactText("header was bearer eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.sig and a bare eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.sig2");
        Assert.DoesNotContain("eyJ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_is_not_json_is_still_masked()
    {
        var text = SecretRedactor.RedactBody("{not json, bearer abc.def.ghi", "application/json");
        Assert.DoesNotContain("abc.def.ghi", text, StringComparison.Ordinal);
    }
}
