using System.Net;

namespace CfTasks.Client;

/// <summary>How a session signs in. Secrets stay in memory only, never in any message.</summary>
public abstract record CfCredential
{
    private CfCredential() { }

    /// <summary>
    /// OAuth2 password grant as the cf CLI does it (client <c>cf</c>, empty secret). <see cref="Origin"/> names the
    /// identity provider to sign in with (UAA's <c>login_hint</c>, as <c>cf login --origin</c>); null lets UAA choose.
    /// </summary>
    public sealed record Password(NetworkCredential User) : CfCredential
    {
        /// <summary>The identity provider's origin key (<c>uaa</c>, <c>ldap</c>, ...), or null.</summary>
        public string? Origin { get; init; }

        /// <inheritdoc />
        public override string ToString() => Origin is null ? $"user {User.UserName}" : $"user {User.UserName} of origin {Origin}";
    }

    /// <summary>client_credentials grant: the user name is the client id, the password its secret.</summary>
    public sealed record ClientCredentials(NetworkCredential Client) : CfCredential
    {
        /// <inheritdoc />
        public override string ToString() => $"client {Client.UserName}";
    }

    /// <summary>
    /// A one-time passcode from the login host's <c>/passcode</c> page after a single sign-on (the password grant with
    /// <c>passcode</c>, as <c>cf login --sso-passcode</c>). It works once: the session renews with the refresh token
    /// that comes with it, and needs a new passcode when that fails.
    /// </summary>
    public sealed record Passcode(string Code) : CfCredential
    {
        /// <inheritdoc />
        public override string ToString() => "one-time passcode";
    }

    /// <summary>
    /// A JWT bearer assertion (RFC 7523, as <c>cf auth --assertion</c>), for example a CI system's OIDC token, signed in
    /// with the OAuth client of <see cref="CfClientOptions.OAuthClientId"/>. Assertions are short-lived and never
    /// reused: the session renews with the refresh token when UAA gave one, and needs a fresh assertion otherwise.
    /// </summary>
    public sealed record Assertion(string Jwt) : CfCredential
    {
        /// <inheritdoc />
        public override string ToString() => "JWT assertion";
    }

    /// <summary>Tokens someone already holds (the cf CLI's config.json): refreshed with the refresh token.</summary>
    public sealed record ExistingTokens(string AccessToken, string? RefreshToken, string? GrantType) : CfCredential
    {
        /// <inheritdoc />
        public override string ToString() => "existing session";
    }
}
