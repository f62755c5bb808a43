namespace FakeCloudFoundry.Identity;

/// <summary>Book-keeping for an access token the fake UAA handed out.</summary>
internal sealed record IssuedAccessToken(string Jti, Principal Principal, long ExpiresAtUnixSeconds);

/// <summary>Book-keeping for an opaque refresh token.</summary>
internal sealed record IssuedRefreshToken(string Token, string ClientId, UserAccount User, long ExpiresAtUnixSeconds);

/// <summary>What the token endpoint answers.</summary>
public sealed record TokenGrant(string AccessToken, string? RefreshToken, int ExpiresIn, string Scope, string Jti);
