using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FakeCloudFoundry.Identity;

/// <summary>
/// Issues and validates the fake UAA's tokens: HS256 JWT access tokens (key known only to the fake) and opaque
/// <c>&lt;32 hex&gt;-r</c> refresh tokens. Not thread-safe: the owning state serialises access.
/// </summary>
internal sealed class TokenAuthority
{
    public const string UserScope = "openid uaa.user cloud_controller.read password.write cloud_controller.write";
    public const string AdminScope = UserScope + " cloud_controller.admin doppler.firehose";
    public const string ClientScope = "cloud_controller.read cloud_controller.write";
    public const int RefreshTokenLifetimeSeconds = 2_592_000;

    private static readonly byte[] SigningKey = Encoding.UTF8.GetBytes("fake-cloud-foundry-hs256-signing-key-not-a-secret");
    private readonly Dictionary<string, IssuedAccessToken> _accessTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IssuedRefreshToken> _refreshTokens = new(StringComparer.Ordinal);

    public int AccessTokenLifetimeSeconds { get; set; } = 1200;

    public string Issuer { get; set; } = "http://127.0.0.1/uaa/oauth/token";

    /// <param name="existingRefreshToken">the refresh token being used (refresh grant): it is answered again</param>
    /// <param name="withRefreshToken">false answers without a refresh token (e.g. a client without the refresh_token grant)</param>
    public TokenGrant IssueForUser(UserAccount user, string clientId, string grantType, long nowUnixSeconds, string? existingRefreshToken = null,
        bool withRefreshToken = true)
    {
        var principal = new Principal(user.Name, user.Guid, IsClient: false, user.IsAdmin, user.Origin);
        var scope = user.IsAdmin ? AdminScope : UserScope;
        var (jwt, jti, lifetime) = CreateAccessToken(principal, clientId, grantType, scope, nowUnixSeconds);
        var refresh = existingRefreshToken;
        if (refresh is null && withRefreshToken)
        {
            refresh = Guid.NewGuid().ToString("N") + "-r";
            _refreshTokens[refresh] = new IssuedRefreshToken(refresh, clientId, user, nowUnixSeconds + RefreshTokenLifetimeSeconds);
        }
        return new TokenGrant(jwt, refresh, Math.Max(0, lifetime - 1), scope, jti);
    }

    public TokenGrant IssueForClient(ClientAccount client, long nowUnixSeconds)
    {
        var principal = new Principal(client.Id, client.Id, IsClient: true, IsAdmin: false);
        var (jwt, jti, lifetime) = CreateAccessToken(principal, client.Id, "client_credentials", ClientScope, nowUnixSeconds);
        return new TokenGrant(jwt, null, Math.Max(0, lifetime - 1), ClientScope, jti);
    }

    public IssuedRefreshToken? FindRefreshToken(string token, long nowUnixSeconds) =>
        _refreshTokens.TryGetValue(token, out var issued) && issued.ExpiresAtUnixSeconds > nowUnixSeconds ? issued : null;

    /// <summary>The principal of a valid, unexpired, known access token; null otherwise.</summary>
    public Principal? Validate(string jwt, long nowUnixSeconds)
    {
        var jti = ReadVerifiedJti(jwt);
        if (jti is null || !_accessTokens.TryGetValue(jti, out var issued)) return null;
        return issued.ExpiresAtUnixSeconds > nowUnixSeconds ? issued.Principal : null;
    }

    public void ForgetAccessTokens() => _accessTokens.Clear();

    public void ForgetRefreshTokens() => _refreshTokens.Clear();

    private (string Jwt, string Jti, int Lifetime) CreateAccessToken(Principal principal, string clientId, string grantType, string scope, long now)
    {
        var jti = Guid.NewGuid().ToString("N");
        var lifetime = AccessTokenLifetimeSeconds;
        var exp = now + lifetime;
        var header = EncodeBase64Url("""{"alg":"HS256","kid":"fake-key-1","typ":"JWT"}"""u8);
        var payloadJson = new MemoryStream();
        using (var w = new Utf8JsonWriter(payloadJson))
        {
            w.WriteStartObject();
            w.WriteString("jti", jti);
            w.WriteString("sub", principal.Guid);
            w.WriteStartArray("scope");
            foreach (var s in scope.Split(' ')) w.WriteStringValue(s);
            w.WriteEndArray();
            w.WriteString("client_id", clientId);
            w.WriteString("cid", clientId);
            w.WriteString("azp", clientId);
            w.WriteString("grant_type", grantType);
            if (!principal.IsClient)
            {
                w.WriteString("user_id", principal.Guid);
                w.WriteString("origin", principal.Origin);
                w.WriteString("user_name", principal.Name);
                w.WriteString("email", principal.Name + "@example.org");
            }
            w.WriteNumber("iat", now);
            w.WriteNumber("exp", exp);
            w.WriteString("iss", Issuer);
            w.WriteString("zid", "uaa");
            w.WriteStartArray("aud");
            w.WriteStringValue("cloud_controller");
            w.WriteStringValue(clientId);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        var signingInput = header + "." + EncodeBase64Url(payloadJson.ToArray());
        var jwt = signingInput + "." + EncodeBase64Url(HMACSHA256.HashData(SigningKey, Encoding.ASCII.GetBytes(signingInput)));
        _accessTokens[jti] = new IssuedAccessToken(jti, principal, exp);
        return (jwt, jti, lifetime);
    }

    private static string? ReadVerifiedJti(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3) return null;
        var expected = EncodeBase64Url(HMACSHA256.HashData(SigningKey, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1])));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts[2]))) return null;
        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return payload.RootElement.TryGetProperty("jti", out var jti) ? jti.GetString() : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private static string EncodeBase64Url(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);
}
