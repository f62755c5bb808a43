using System.Net;
using System.Net.Http.Headers;
using CfTasks.Client.Errors;

namespace CfTasks.Client.Http;

/// <summary>
/// The one place tokens meet requests: attaches the session's bearer token to requests for the session's own hosts
/// (never to a foreign host a link might point at), and when the API rejects the token, renews it once and sends the
/// request again. How an API says "rejected" differs, see <see cref="TokenRejection"/>.
/// </summary>
internal sealed class CfAuthHandler(IAccessTokenSource tokens, IReadOnlyCollection<string> trustedAuthorities, TokenRejection rejection) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var authority = request.RequestUri?.GetLeftPart(UriPartial.Authority);
        if (authority is null || !trustedAuthorities.Contains(authority, StringComparer.OrdinalIgnoreCase))
        {
            throw new CfException(CfFailure.UntrustedLink, CfErrorKind.Protocol,
                $"Refusing to send the session's token to {SecretRedactor.RedactUrl(request.RequestUri)}: it is not one of the foundation's endpoints.",
                request.RequestUri);
        }

        var token = await tokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var (rejected, answer) = await rejection.InspectAsync(response, cancellationToken).ConfigureAwait(false);
        if (!rejected) return answer;

        answer.Dispose();
        CfDiagnostics.Verbose($"{request.Method} {SecretRedactor.RedactUrl(request.RequestUri)}: {rejection.Describe}; renewing the token and sending once more.");
        token = await tokens.RenewAfterRejectionAsync(token, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", token);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// How an API tells that it did not accept a token. The Cloud Controller answers 401 with CF-InvalidAuthToken (1000)
/// (other 401s, e.g. CF-NotAuthenticated, are passed on); log-cache answers 404 with an empty body, the same as for an
/// app that does not exist or may not be read, so there a 404 is worth one renewal and one more try.
/// </summary>
internal abstract class TokenRejection
{
    /// <summary>The Cloud Controller's signal.</summary>
    public static readonly TokenRejection CloudController = new CloudControllerRejection();

    /// <summary>log-cache's signal.</summary>
    public static readonly TokenRejection LogCache = new LogCacheRejection();

    /// <summary>For the verbose story: what the answer was.</summary>
    public abstract string Describe { get; }

    /// <summary>Whether <paramref name="response"/> rejects the token; the response to pass on when it does not.</summary>
    public abstract ValueTask<(bool Rejected, HttpResponseMessage Response)> InspectAsync(HttpResponseMessage response, CancellationToken cancellationToken);

    private sealed class CloudControllerRejection : TokenRejection
    {
        public override string Describe => "the token was rejected (CF-InvalidAuthToken)";

        public override async ValueTask<(bool, HttpResponseMessage)> InspectAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            if (response.StatusCode != HttpStatusCode.Unauthorized) return (false, response);
            var body = await CfApiErrors.ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
            var errors = CfApiErrors.TryParseErrors(body);
            if (errors.Count > 0 && errors[0].Code == 1000) return (true, response);

            // Not an invalid token (e.g. CF-NotAuthenticated): the caller sees it. The body was consumed; rebuild it.
            var replacement = new HttpResponseMessage(response.StatusCode)
            {
                RequestMessage = response.RequestMessage,
                ReasonPhrase = response.ReasonPhrase,
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            };
            response.Dispose();
            return (false, replacement);
        }
    }

    private sealed class LogCacheRejection : TokenRejection
    {
        public override string Describe => "log-cache answered 404, its answer to a rejected token too";

        public override ValueTask<(bool, HttpResponseMessage)> InspectAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
            new((response.StatusCode == HttpStatusCode.NotFound, response));
    }
}
