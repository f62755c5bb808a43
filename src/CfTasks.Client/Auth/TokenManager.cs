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
/// renewal. Uses the refresh token when there is one, else repeats the client_credentials grant.
/// </summary>
public sealed class TokenManager : IAccessTokenSource
{
    private readonly IUaaApi _uaa;
    private readonly CfClientOptions _options;
    private readonly CfCredential _credential;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time;
    private string? _accessToken;
    private string? _refreshToken;
    private DateTime _issuedAt;

    internal TokenManager(IUaaApi uaa, CfClientOptions options, CfCredential credential, TimeProvider? time = null)
    {
        _uaa = uaa;
        _options = options;
        _credential = credential;
        _time = time ?? TimeProvider.System;
        if (credential is CfCredential.ExistingTokens existing)
            Accept(existing.AccessToken, existing.RefreshToken, expiresIn: null);
    }

    /// <summary>When the current access token expires (UTC), if known.</summary>
    public DateTime? ExpiresAt { get; private set; }

    /// <summary>The claims of the current access token (user name or client id).</summary>
    public AccessTokenClaims? Claims { get; private set; }

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
    public async ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var token = _accessToken;
        if (token is not null && !IsStale()) return token;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_accessToken is null || IsStale()) await RenewCoreAsync(cancellationToken, onlyIfStale: false).ConfigureAwait(false);
            return _accessToken!;
        }
        finally
        {
            _gate.Release();
        }
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
            if (_accessToken is not null && _accessToken != rejectedToken) return _accessToken;
            await RenewCoreAsync(cancellationToken, onlyIfStale: false).ConfigureAwait(false);
            return _accessToken!;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool IsStale()
    {
        if (ExpiresAt is not { } expires) return false;
        var now = _time.GetUtcNow().UtcDateTime;
        var lifetime = expires - _issuedAt;
        var margin = lifetime > TimeSpan.Zero && lifetime / 4 < _options.TokenRefreshMargin ? lifetime / 4 : _options.TokenRefreshMargin;
        return expires - now <= margin;
    }

    private async Task RenewCoreAsync(CancellationToken cancellationToken, bool onlyIfStale)
    {
        if (onlyIfStale && _accessToken is not null && !IsStale()) return;
        if (_refreshToken is not null)
        {
            var form = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = _refreshToken };
            var refreshed = await TryRequestAsync(form, BasicClientHeader(), cancellationToken).ConfigureAwait(false);
            if (refreshed.Token is not null)
            {
                AcceptResponse(refreshed.Token);
                RenewalCount++;
                CfDiagnostics.Verbose("Access token renewed with the refresh token.");
                return;
            }
            if (_credential is not CfCredential.ClientCredentials and not CfCredential.Password)
                throw SessionExpired(refreshed.Error);
        }
        else if (_credential is CfCredential.ExistingTokens)
        {
            throw SessionExpired("the cf CLI session has no refresh token (client-credentials sessions cannot be renewed without their secret)");
        }

        await GrantAsync(cancellationToken).ConfigureAwait(false);
        RenewalCount++;
        CfDiagnostics.Verbose("Access token renewed by signing in again.");
    }

    private async Task GrantAsync(CancellationToken cancellationToken)
    {
        Dictionary<string, string> form;
        string? authorization = null;
        string who;
        switch (_credential)
        {
            case CfCredential.Password password:
                // Keys in alphabetical order, as the cf CLI sends them; client id/secret in the Basic header.
                form = new()
                {
                    ["grant_type"] = "password",
                    ["password"] = password.User.Password,
                    ["username"] = password.User.UserName,
                };
                authorization = BasicClientHeader();
                who = $"user '{password.User.UserName}'";
                break;
            case CfCredential.ClientCredentials client:
                form = new()
                {
                    ["client_id"] = client.Client.UserName,
                    ["client_secret"] = client.Client.Password,
                    ["grant_type"] = "client_credentials",
                };
                who = $"client '{client.Client.UserName}'";
                break;
            default:
                throw SessionExpired("the session cannot sign in again by itself");
        }

        var result = await TryRequestAsync(form, authorization, cancellationToken).ConfigureAwait(false);
        if (result.Token is null)
        {
            throw CfErrors.AuthenticationFailed(who, result.Error, result.Status);
        }
        AcceptResponse(result.Token);
    }

    private async Task<(TokenResponse? Token, string Error, int Status)> TryRequestAsync(
        Dictionary<string, string> form, string? authorization, CancellationToken cancellationToken)
    {
        using var response = await CfCall.RunAsync(ct => _uaa.RequestToken(form, authorization, ct), cancellationToken).ConfigureAwait(false);
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
        Accept(token.AccessToken, token.RefreshToken ?? (_credential is CfCredential.ClientCredentials ? null : _refreshToken), token.ExpiresIn);

    private void Accept(string accessToken, string? refreshToken, int? expiresIn)
    {
        if (accessToken.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase)) accessToken = accessToken[7..];
        _accessToken = accessToken;
        _refreshToken = string.IsNullOrEmpty(refreshToken) ? null : refreshToken;
        _issuedAt = _time.GetUtcNow().UtcDateTime;
        Claims = JwtClaims.TryRead(accessToken);
        ExpiresAt = Claims?.Exp is { } exp
            ? DateTime.UnixEpoch.AddSeconds(exp)
            : expiresIn is { } seconds ? _issuedAt.AddSeconds(seconds) : null;
    }

    private static CfException SessionExpired(string why) => CfErrors.SessionExpired(why);
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
