namespace FakeCloudFoundry.Identity;

/// <summary>The OAuth grant types the fake UAA serves.</summary>
public static class GrantTypes
{
    public const string Password = "password";
    public const string RefreshToken = "refresh_token";
    public const string ClientCredentials = "client_credentials";

    /// <summary>RFC 7523 JWT bearer assertion (<c>cf auth --assertion</c>).</summary>
    public const string JwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    public static bool IsKnown(string grantType) => grantType is Password or RefreshToken or ClientCredentials or JwtBearer;
}
