using FakeCloudFoundry.Identity;

namespace FakeCloudFoundry.State;

/// <summary>A token request as the UAA endpoint read it (null = the field was not sent).</summary>
internal sealed record UaaTokenRequest(string? ClientId, string ClientSecret, string GrantType)
{
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string? Passcode { get; init; }
    public string? RefreshToken { get; init; }
    public string? Assertion { get; init; }
    /// <summary>The raw <c>login_hint</c> (query string first, else form).</summary>
    public string? LoginHint { get; init; }
}

/// <summary>A refused token request: status, UAA's <c>error</c> / <c>error_description</c>, and the
/// <c>WWW-Authenticate</c> value UAA sends with it (null: none).</summary>
internal sealed record UaaFailure(int Status, string Error, string Description, string? Challenge = null)
{
    /// <summary>Failures of UAA's token-endpoint filter, answered through its <c>Basic realm="UAA/client"</c> entry point.</summary>
    public static UaaFailure ClientEntryPoint(string error, string description) =>
        new(401, error, description, $"Basic realm=\"UAA/client\", error=\"{error}\", error_description=\"{description}\"");
}

/// <summary>The fake UAA: token grants, passcodes, trusted assertion issuers. Callers hold Gate unless noted.</summary>
public sealed partial class FakeState
{
    /// <summary>Origins whose users sign in with a password, in the order UAA's chained authentication tries them when
    /// no login_hint is given (internal users first, then LDAP).</summary>
    private static readonly string[] PasswordOrigins = [UserAccount.UaaOrigin, UserAccount.LdapOrigin];

    private const string UnmatchedOrigin = "The origin provided in the login_hint does not match an active Identity Provider, that supports password grant.";

    private bool _assertionRefreshTokens = true;

    internal (TokenGrant? Grant, UaaFailure? Failure) GrantLocked(UaaTokenRequest request)
    {
        var now = Clock.NowNs;
        var nowSeconds = now / 1_000_000_000;
        var client = request.ClientId is null ? null : ClientById(request.ClientId);
        if (client is null || client.Secret != request.ClientSecret)
            return (null, UaaFailure.ClientEntryPoint("unauthorized", "Bad credentials"));
        if (!GrantTypes.IsKnown(request.GrantType))
            return (null, new UaaFailure(400, "unsupported_grant_type", $"Unsupported grant type: {request.GrantType}"));
        if (!client.Allows(request.GrantType))
            return (null, new UaaFailure(401, "invalid_client", "Unauthorized grant type: " + request.GrantType));
        switch (request.GrantType)
        {
            case GrantTypes.ClientCredentials:
                return (Tokens.IssueForClient(client, nowSeconds), null);
            case GrantTypes.Password when request.Passcode is not null:
                return PasscodeGrantLocked(request.Passcode, client, now);
            case GrantTypes.Password:
                return PasswordGrantLocked(request, client, nowSeconds);
            case GrantTypes.RefreshToken:
                var refresh = Tokens.FindRefreshToken(request.RefreshToken ?? "", nowSeconds);
                if (refresh is null || refresh.ClientId != client.Id)
                    return (null, new UaaFailure(401, "invalid_token", "The token expired, was revoked, or the token ID is incorrect."));
                return (Tokens.IssueForUser(refresh.User, client.Id, GrantTypes.RefreshToken, nowSeconds, refresh.Token), null);
            default:
                return AssertionGrantLocked(request.Assertion, client, now);
        }
    }

    /// <summary>
    /// UAA's <c>PasswordGrantAuthenticationManager</c>: a login_hint names the one origin to try, and must be one
    /// whose provider takes passwords; without one, internal users are tried, then LDAP users.
    /// </summary>
    private (TokenGrant?, UaaFailure?) PasswordGrantLocked(UaaTokenRequest request, ClientAccount client, long nowSeconds)
    {
        IEnumerable<string> origins = PasswordOrigins;
        if (LoginHint.TryRead(request.LoginHint, out var hinted))
        {
            if (hinted is null || !PasswordOrigins.Contains(hinted)) return (null, UaaFailure.ClientEntryPoint("unauthorized", UnmatchedOrigin));
            origins = [hinted];
        }
        foreach (var origin in origins)
        {
            var user = UserIn(origin, request.Username ?? "");
            if (user?.Password is not null && user.Password == request.Password)
                return (Tokens.IssueForUser(user, client.Id, GrantTypes.Password, nowSeconds), null);
        }
        return (null, new UaaFailure(401, "invalid_client", "Bad credentials"));
    }

    /// <summary>UAA's <c>PasscodeAuthenticationFilter</c>: failures go through its default OAuth2 entry point.</summary>
    private (TokenGrant?, UaaFailure?) PasscodeGrantLocked(string passcode, ClientAccount client, long nowNs)
    {
        var description = passcode.Length == 0 ? "Passcode information is missing." : "Invalid passcode";
        var user = passcode.Length == 0 ? null : Passcodes.Redeem(passcode, nowNs);
        if (user is null)
            return (null, new UaaFailure(401, "unauthorized", description, $"Bearer realm=\"oauth\", error=\"unauthorized\", error_description=\"{description}\""));
        return (Tokens.IssueForUser(user, client.Id, GrantTypes.Password, nowNs / 1_000_000_000), null);
    }

    /// <summary>
    /// The jwt-bearer grant: the assertion must come from a trusted issuer; its subject signs in as a user of that
    /// issuer's origin (UAA creates such "shadow" users on first sign-in). A refresh token comes with it when the client
    /// has the refresh_token grant, as UAA's <c>RefreshTokenCreator</c> does, unless tests turned that off.
    /// </summary>
    private (TokenGrant?, UaaFailure?) AssertionGrantLocked(string? assertion, ClientAccount client, long nowNs)
    {
        if (assertion is null) return (null, UaaFailure.ClientEntryPoint("unauthorized", "Assertion is missing"));
        var (issuer, subject, rejection) = Assertions.Verify(assertion, nowNs);
        if (rejection is not null) return (null, UaaFailure.ClientEntryPoint(rejection.Error, rejection.Description));
        var user = UserIn(issuer!.Origin, subject);
        if (user is null) _users[(issuer.Origin, subject)] = user = new UserAccount(subject, Password: null, IsAdmin: false, issuer.Origin);
        var withRefreshToken = _assertionRefreshTokens && client.Allows(GrantTypes.RefreshToken);
        return (Tokens.IssueForUser(user, client.Id, GrantTypes.JwtBearer, nowNs / 1_000_000_000, withRefreshToken: withRefreshToken), null);
    }

    // ----- controls (thread-safe) -----

    /// <summary>A one-time passcode for a user, as UAA's <c>/passcode</c> page would show it after a browser sign-in.</summary>
    public string IssuePasscode(string userName, string origin = UserAccount.UaaOrigin)
    {
        lock (Gate)
        {
            var user = UserIn(origin, userName) ?? throw new ArgumentException($"no user '{userName}' in origin '{origin}'");
            return Passcodes.Issue(user, Clock.NowNs);
        }
    }

    /// <summary>A signed JWT bearer assertion (by default one the fake trusts, for the seeded CI user).</summary>
    public string MintAssertion(AssertionSpec spec)
    {
        lock (Gate) return Assertions.Mint(spec, Clock.NowNs / 1_000_000_000);
    }

    /// <summary>Trusts another assertion issuer (until reset, which restores the issuers of the server options).</summary>
    public void TrustIssuer(TrustedIssuer issuer)
    {
        if (string.IsNullOrEmpty(issuer.Issuer) || string.IsNullOrEmpty(issuer.Origin) || string.IsNullOrEmpty(issuer.Audience))
            throw new ArgumentException("a trusted issuer needs an issuer, an origin and an audience");
        if (PasswordOrigins.Contains(issuer.Origin)) throw new ArgumentException($"origin '{issuer.Origin}' is not an OIDC provider's");
        lock (Gate) Assertions.Trust(issuer);
    }

    /// <summary>Whether jwt-bearer grants come with a refresh token for clients that have the refresh_token grant
    /// (default true, restored by reset). False lets a test make a client connect again with a fresh assertion.</summary>
    public void SetAssertionRefreshTokens(bool issue)
    {
        lock (Gate) _assertionRefreshTokens = issue;
    }

    private void ResetIdentityLocked()
    {
        Passcodes.Clear();
        Assertions.ResetTo(_options.TrustedIssuers ?? [TrustedIssuer.StandardCi]);
        _assertionRefreshTokens = true;
        Tokens.AccessTokenLifetimeSeconds = 1200;
    }
}
