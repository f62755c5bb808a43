using System.Net;
using System.Text;
using System.Text.Json;
using CfTasks.Client.Api;
using CfTasks.Client.Errors;
using CfTasks.Client.Http;
using CfTasks.Client.Models;

namespace CfTasks.Client.Auth;

/// <summary>
/// Holds a session's tokens in memory and keeps them fresh: renews before expiry (the margin of
/// <see cref="CfClientOptions.TokenRefreshMargin"/>), or after the API rejected a token. Concurrent callers share one
/// renewal. Uses the refresh token when there is one; a password or client-credentials session may also sign in again,
/// while a one-time passcode or an assertion is never used twice. <see cref="Forget"/> drops tokens and credential.
/// </summary>
public sealed class TokenManager : IAccessTokenSource
{
    private const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private readonly IUaaApi _uaa;
    private readonly CfClientOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time;
    private readonly SignIn _signIn;
    private CfCredential? _credential;
    private volatile TokenSet? _tokens;
    private volatile bool _forgotten;

    /// <summary>One consistent view of the tokens: replaced whole, so a reader never mixes two renewals.</summary>
    private sealed record TokenSet(string Access, string? Refresh, DateTime IssuedAt, DateTime? ExpiresAt, AccessTokenClaims? Claims);

    internal TokenManager(IUaaApi uaa, CfClientOptions options, CfCredential credential, TimeProvider? time = null)
    {
        _uaa = uaa;
        _options = options;
        _credential = credential;
        _signIn = SignIn.For(credential, options);
        _time = time ?? TimeProvider.System;
        if (credential is CfCredential.ExistingTokens existing)
            Accept(existing.AccessToken, existing.RefreshToken, expiresIn: null);
    }

    /// <summary>When the current access token expires (UTC), if known.</summary>
    public DateTime? ExpiresAt => _tokens?.ExpiresAt;

    /// <summary>The claims of the current access token (user name or client id).</summary>
    public AccessTokenClaims? Claims => _tokens?.Claims;

    /// <summary>How many times a token was obtained after the first (for diagnostics and tests).</summary>
    public int RenewalCount { get; private set; }

    /// <summary>Signs in with the session's credential.</summary>
    public async Task SignInAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_credential is CfCredential.ExistingTokens) await RenewCoreAsync(cancellationToken, onlyIfStale: true).ConfigureAwait(false);
            else await GrantAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A token valid for at least the refresh margin, renewing it first when needed.</summary>
    public async ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken) =>
        (await GetCurrentAsync(cancellationToken).ConfigureAwait(false)).Access;

    /// <summary>The current access token and when it expires (UTC), renewed first when it is about to expire.</summary>
    public async ValueTask<(string AccessToken, DateTime? ExpiresAt)> GetAccessTokenWithExpiryAsync(CancellationToken cancellationToken)
    {
        var current = await GetCurrentAsync(cancellationToken).ConfigureAwait(false);
        return (current.Access, current.ExpiresAt);
    }

    /// <summary>
    /// The API rejected <paramref name="rejectedToken"/>: renew once (unless another caller already did) and return the new
    /// token. Throws an authentication error telling the user to connect again when renewal fails.
    /// </summary>
    public async Task<string> RenewAfterRejectionAsync(string rejectedToken, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfForgotten();
            if (_tokens is { } tokens && tokens.Access != rejectedToken) return tokens.Access;
            await RenewCoreAsync(cancellationToken, onlyIfStale: false).ConfigureAwait(false);
            return _tokens!.Access;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Drops the tokens and the credential from memory at once (the connection was closed). Every later request for a
    /// token fails as not connected, and a renewal still in flight stores nothing.
    /// </summary>
    public void Forget()
    {
        _forgotten = true;
        _tokens = null;
        _credential = null;
    }

    private async ValueTask<TokenSet> GetCurrentAsync(CancellationToken cancellationToken)
    {
        ThrowIfForgotten();
        if (_tokens is { } tokens && !IsStale(tokens)) return tokens;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfForgotten();
            if (_tokens is not { } current || IsStale(current)) await RenewCoreAsync(cancellationToken, onlyIfStale: false).ConfigureAwait(false);
            return _tokens ?? throw CfErrors.ConnectionClosed();
        }
        finally
        {
            _gate.Release();
        }
    }

    private void ThrowIfForgotten()
    {
        if (_forgotten) throw CfErrors.ConnectionClosed();
    }

    private bool IsStale(TokenSet tokens)
    {
        if (tokens.ExpiresAt is not { } expires) return false;
        var now = _time.GetUtcNow().UtcDateTime;
        var lifetime = expires - tokens.IssuedAt;
        var margin = lifetime > TimeSpan.Zero && lifetime / 4 < _options.TokenRefreshMargin ? lifetime / 4 : _options.TokenRefreshMargin;
        return expires - now <= margin;
    }

    private async Task RenewCoreAsync(CancellationToken cancellationToken, bool onlyIfStale)
    {
        if (onlyIfStale && _tokens is { } current && !IsStale(current)) return;
        if (_tokens?.Refresh is { } refreshToken)
        {
            var form = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken };
            var refreshed = await TryRequestAsync(form, BasicClientHeader(), loginHint: null, cancellationToken).ConfigureAwait(false);
            if (refreshed.Token is not null)
            {
                AcceptResponse(refreshed.Token);
                RenewalCount++;
                CfDiagnostics.Verbose("Access token renewed with the refresh token.");
                return;
            }
            if (!_signIn.CanSignInAgain) throw CfErrors.SessionExpired($"UAA did not accept the refresh token ({refreshed.Error}); {_signIn.Remedy}");
        }
        else if (!_signIn.CanSignInAgain)
        {
            throw CfErrors.SessionExpired($"the access token expired and {_signIn.WithoutRefreshToken}; {_signIn.Remedy}");
        }

        await GrantAsync(cancellationToken).ConfigureAwait(false);
        RenewalCount++;
        CfDiagnostics.Verbose("Access token renewed by signing in again.");
    }

    private async Task GrantAsync(CancellationToken cancellationToken)
    {
        Dictionary<string, string> form;
        string? authorization = BasicClientHeader();
        string? loginHint = null;
        switch (_credential)
        {
            case CfCredential.Password password:
                // Keys in alphabetical order, as the cf CLI sends them; client id/secret in the Basic header; the origin
                // as a login_hint in the query string, where the cf CLI puts it.
                form = new()
                {
                    ["grant_type"] = "password",
                    ["password"] = password.User.Password,
                    ["username"] = password.User.UserName,
                };
                if (password.Origin is { } origin) loginHint = "{\"origin\":\"" + JsonEncodedText.Encode(origin) + "\"}";
                break;
            case CfCredential.ClientCredentials client:
                form = new()
                {
                    ["client_id"] = client.Client.UserName,
                    ["client_secret"] = client.Client.Password,
                    ["grant_type"] = "client_credentials",
                };
                authorization = null;
                break;
            case CfCredential.Passcode passcode:
                form = new() { ["grant_type"] = "password", ["passcode"] = passcode.Code };
                break;
            case CfCredential.Assertion assertion:
                form = new() { ["assertion"] = assertion.Jwt, ["grant_type"] = JwtBearerGrant };
                break;
            default:
                throw CfErrors.SessionExpired(_signIn.Remedy);
        }

        var result = await TryRequestAsync(form, authorization, loginHint, cancellationToken).ConfigureAwait(false);
        if (!_signIn.CanSignInAgain) _credential = null; // a passcode works once; an assertion is never reused
        if (result.Token is null) throw CfErrors.SignInRejected(_signIn.What, result.Error, result.Status);
        AcceptResponse(result.Token);
    }

    private async Task<(TokenResponse? Token, string Error, int Status)> TryRequestAsync(
        Dictionary<string, string> form, string? authorization, string? loginHint, CancellationToken cancellationToken)
    {
        using var response = await CfCall.RunAsync(ct => _uaa.RequestToken(form, authorization, loginHint, ct), cancellationToken).ConfigureAwait(false);
        var body = await CfApiErrors.ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            try
            {
                var token = JsonSerializer.Deserialize(body, CfJsonContext.Default.TokenResponse);
                if (token is { AccessToken.Length: > 0 }) return (token, "", status);
            }
            catch (JsonException)
            {
                // handled below
            }
            throw CfApiErrors.NotCloudFoundry(response.RequestMessage?.RequestUri, "the token endpoint did not return a UAA token response");
        }

        if (status is 401 or 400 or 403)
        {
            UaaErrorBody? error = null;
            try
            {
                if (body.TrimStart().StartsWith('{')) error = JsonSerializer.Deserialize(body, CfJsonContext.Default.UaaErrorBody);
            }
            catch (JsonException)
            {
                // not UAA's shape: describe by status
            }
            var text = error?.ErrorDescription ?? error?.Error ?? $"{status} {response.ReasonPhrase}";
            if (error?.Error is { } code && error.ErrorDescription is not null) text = $"{error.ErrorDescription} ({code})";
            return (null, SecretRedactor.RedactText(text), status);
        }
        throw await CfApiErrors.FromResponseAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private string BasicClientHeader() =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.OAuthClientId}:{_options.OAuthClientSecret}"));

    private void AcceptResponse(TokenResponse token) =>
        Accept(token.AccessToken, token.RefreshToken ?? (_signIn.KeepsRefreshToken ? _tokens?.Refresh : null), token.ExpiresIn);

    private void Accept(string accessToken, string? refreshToken, int? expiresIn)
    {
        if (_forgotten) return;
        if (accessToken.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase)) accessToken = accessToken[7..];
        var issuedAt = _time.GetUtcNow().UtcDateTime;
        var claims = JwtClaims.TryRead(accessToken);
        DateTime? expiresAt = claims?.Exp is { } exp
            ? DateTime.UnixEpoch.AddSeconds(exp)
            : expiresIn is { } seconds ? issuedAt.AddSeconds(seconds) : null;
        _tokens = new TokenSet(accessToken, string.IsNullOrEmpty(refreshToken) ? null : refreshToken, issuedAt, expiresAt, claims);
    }

    /// <summary>
    /// What a credential means for signing in: how messages name it, whether it may be used again (else the session
    /// lives on its refresh token), whether a renewal keeps the refresh token, and what to say when renewal is impossible.
    /// </summary>
    private sealed record SignIn(string What, bool CanSignInAgain, bool KeepsRefreshToken, string WithoutRefreshToken, string Remedy)
    {
        public static SignIn For(CfCredential credential, CfClientOptions options) => credential switch
        {
            CfCredential.Password p => new($"the credentials of user '{p.User.UserName}'" + (p.Origin is { } o ? $" of origin '{o}'" : ""), true, true, "", ""),
            CfCredential.ClientCredentials c => new($"the credentials of client '{c.Client.UserName}'", true, false, "", ""),
            CfCredential.Passcode => new("the one-time passcode", false, true, "the passcode sign-in came without a refresh token",
                "a one-time passcode works once: sign in again with a new passcode"),
            CfCredential.Assertion => new($"the JWT assertion (OAuth client '{options.OAuthClientId}')", false, true,
                "the assertion sign-in came without a refresh token", "an assertion is not used twice: sign in again with a fresh assertion"),
            _ => new("the existing session", false, true,
                "the cf CLI session has no refresh token (client-credentials sessions cannot be renewed without their secret)", "sign in again"),
        };
    }
}

/// <summary>Reads the claims of a JWT without verifying it (the server verifies; the client only wants exp and names).</summary>
internal static class JwtClaims
{
    public static AccessTokenClaims? TryRead(string token)
    {
        var parts = token.Split('.');
        if (parts.Length < 2) return null;
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            return JsonSerializer.Deserialize(Convert.FromBase64String(payload), CfJsonContext.Default.AccessTokenClaims);
        }
        catch (Exception error) when (error is FormatException or JsonException)
        {
            return null;
        }
    }
}
