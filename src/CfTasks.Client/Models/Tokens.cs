namespace CfTasks.Client.Models;

/// <summary>UAA's token response.</summary>
public sealed record TokenResponse(string AccessToken, string? TokenType, string? RefreshToken, int? ExpiresIn, string? Scope, string? Jti);

/// <summary>The JWT claims CfTasks reads from an access token.</summary>
public sealed record AccessTokenClaims(long? Exp, string? UserName, string? UserId, string? ClientId, string? Origin);
