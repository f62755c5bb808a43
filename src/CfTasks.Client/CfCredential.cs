using System.Net;

namespace CfTasks.Client;

/// <summary>How a session signs in. Secrets stay in memory only, never in any message.</summary>
public abstract record CfCredential
{
    private CfCredential() { }

    /// <summary>OAuth2 password grant as the cf CLI does it (client <c>cf</c>, empty secret).</summary>
    public sealed record Password(NetworkCredential User) : CfCredential
    {
        /// <inheritdoc />
        public override string ToString() => $"user {User.UserName}";
    }

    /// <summary>client_credentials grant: the user name is the client id, the password its secret.</summary>
    public sealed record ClientCredentials(NetworkCredential Client) : CfCredential
    {
        /// <inheritdoc />
        public override string ToString() => $"client {Client.UserName}";
    }

    /// <summary>Tokens someone already holds (the cf CLI's config.json): refreshed with the refresh token.</summary>
    public sealed record ExistingTokens(string AccessToken, string? RefreshToken, string? GrantType) : CfCredential
    {
        /// <inheritdoc />
        public override string ToString() => "existing session";
    }
}
