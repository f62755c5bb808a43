using System.Security.Authentication;
using System.Text.Json;
using CfTasks.Client.Errors;
using CfTasks.Client.Models;

namespace CfTasks.Client.Http;

/// <summary>Turns HTTP failures (CC, UAA, log-cache, network) into <see cref="CfException"/>s. The one place that decides.</summary>
internal static class CfApiErrors
{
    /// <summary>The most of an error body that is read (its CC errors are at the start; the rest is not worth memory).</summary>
    public const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>The exception for a non-success CC or log-cache response.</summary>
    public static async Task<CfException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        var status = (int)response.StatusCode;
        if (status == 407) return CfErrors.ProxyAuthenticationFailed(response.RequestMessage?.RequestUri);
        var body = await ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
        var errors = TryParseErrors(body);
        var request = response.RequestMessage;
        var where = request is null ? "" : $"{request.Method} {SecretRedactor.RedactUrl(request.RequestUri)}";
        var detail = errors.Count > 0
            ? string.Join("; ", errors.Select(e => $"{e.Detail} ({e.Title}, {e.Code})"))
            : $"{status} {response.ReasonPhrase}";
        detail = SecretRedactor.RedactText(detail);

        var (failure, kind) = status switch
        {
            401 => (CfFailure.AuthenticationFailed, CfErrorKind.Authentication),
            403 => (CfFailure.PermissionDenied, CfErrorKind.PermissionDenied),
            404 => (CfFailure.NotFound, CfErrorKind.NotFound),
            400 or 422 => (CfFailure.RequestRejected, CfErrorKind.InvalidArgument),
            409 => (CfFailure.Conflict, CfErrorKind.InvalidOperation),
            429 => (CfFailure.RateLimited, CfErrorKind.Server),
            >= 500 => (CfFailure.ServerError, CfErrorKind.Server),
            _ => (CfFailure.UnexpectedResponse, CfErrorKind.Protocol),
        };
        return new CfException(failure, kind, $"Cloud Foundry answered {where}: {detail}", request?.RequestUri)
        {
            StatusCode = status,
            Errors = errors,
        };
    }

    /// <summary>The exception for a transport failure (DNS, refused, reset, TLS) talking to <paramref name="uri"/>.</summary>
    public static CfException FromTransport(Exception error, Uri? uri)
    {
        var host = uri is null ? "the endpoint" : uri.GetLeftPart(UriPartial.Authority);
        if (FindInner<AuthenticationException>(error) is { } tls)
        {
            return new CfException(CfFailure.CertificateNotTrusted, CfErrorKind.Certificate,
                $"The TLS certificate of {host} is not trusted ({SecretRedactor.RedactText(tls.Message)}).", uri, error);
        }
        return new CfException(CfFailure.ConnectionFailed, CfErrorKind.Connection,
            $"Could not reach {host}: {SecretRedactor.RedactText(error.Message)}", uri, error);
    }

    /// <summary>No connection to <paramref name="uri"/> could be opened within the connect (dial) timeout.</summary>
    public static CfException ConnectTimeout(Exception error, Uri? uri, TimeSpan connectTimeout) =>
        new(CfFailure.ConnectionFailed, CfErrorKind.Connection,
            $"Could not reach {(uri is null ? "the endpoint" : uri.GetLeftPart(UriPartial.Authority))}: no connection within the connect timeout of {connectTimeout.TotalSeconds:0.#} s.",
            uri, error);

    /// <summary>The exception for an answer that is not what Cloud Foundry sends (HTML, malformed JSON, wrong document).</summary>
    public static CfException NotCloudFoundry(Uri? uri, string what, Exception? inner = null) =>
        new(CfFailure.UnexpectedResponse, CfErrorKind.Protocol,
            $"The answer from {SecretRedactor.RedactUrl(uri)} is not what Cloud Foundry sends: {what}", uri, inner);

    /// <summary>Parses a CC error body; empty when it is not one.</summary>
    public static IReadOnlyList<CfErrorItem> TryParseErrors(string body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{') return [];
        try
        {
            return JsonSerializer.Deserialize(body, CfJsonContext.Default.CfErrorBody)?.Errors ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The start of an error body as text (at most <see cref="MaxErrorBodyBytes"/>).</summary>
    public static async Task<string> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var body = await BodyBuffer.ReadAsync(response.Content, MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
        return body.Text();
    }

    private static T? FindInner<T>(Exception? error) where T : Exception
    {
        for (; error is not null; error = error.InnerException)
            if (error is T match) return match;
        return null;
    }
}
