using System.Net;
using System.Net.Http.Headers;
using CfTasks.Client.Errors;

namespace CfTasks.Client.Http;

/// <summary>
/// Attaches the session's bearer token to requests for the session's own hosts (never to a foreign host a link might
/// point at), and, for the Cloud Controller, replays a request once after a 401 CF-InvalidAuthToken with a renewed
/// token. log-cache answers a bad token with 404, so there the token is only renewed ahead of expiry.
/// </summary>
internal sealed class CfAuthHandler(TokenManager tokens, IReadOnlyCollection<string> trustedAuthorities, bool replayOnUnauthorized) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var authority = request.RequestUri?.GetLeftPart(UriPartial.Authority);
        if (authority is null || !trustedAuthorities.Contains(authority, StringComparer.OrdinalIgnoreCase))
        {
            throw new CfException(CfErrorKind.Protocol, "CfUntrustedLink",
                $"Refusing to send the session's token to {SecretRedactor.RedactUrl(request.RequestUri)}: it is not one of the foundation's endpoints.",
                request.RequestUri);
        }

        var token = await tokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!replayOnUnauthorized || response.StatusCode != HttpStatusCode.Unauthorized) return response;

        var body = await CfApiErrors.ReadLimitedAsync(response, cancellationToken).ConfigureAwait(false);
        var errors = CfApiErrors.TryParseErrors(body);
        if (errors.Count == 0 || errors[0].Code != 1000)
        {
            // Not an invalid token (e.g. CF-NotAuthenticated): let the caller see it. The body was consumed; rebuild it.
            var replacement = new HttpResponseMessage(response.StatusCode)
            {
                RequestMessage = request,
                ReasonPhrase = response.ReasonPhrase,
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            };
            response.Dispose();
            return replacement;
        }

        response.Dispose();
        CfDiagnostics.Verbose($"{request.Method} {SecretRedactor.RedactUrl(request.RequestUri)}: the token was rejected (CF-InvalidAuthToken); renewing it and sending once more.");
        token = await tokens.RenewAfterRejectionAsync(token, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", token);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
