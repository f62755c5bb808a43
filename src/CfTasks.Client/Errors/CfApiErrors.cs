using System.Net;
using System.Security.Authentication;
using System.Text.Json;
using CfTasks.Client.Http;
using CfTasks.Client.Models;

namespace CfTasks.Client.Errors;

/// <summary>Turns HTTP failures (CC, UAA, log-cache, network) into <see cref="CfException"/>s. The one place that decides.</summary>
public static class CfApiErrors
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>The exception for a non-success CC or log-cache response.</summary>
    public static async Task<CfException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        var status = (int)response.StatusCode;
        var body = await ReadLimitedAsync(response, cancellationToken).ConfigureAwait(false);
        var errors = TryParseErrors(body);
        var request = response.RequestMessage;
        var where = request is null ? "" : $"{request.Method} {SecretRedactor.RedactUrl(request.RequestUri)}";
        var detail = errors.Count > 0
            ? string.Join("; ", errors.Select(e => $"{e.Detail} ({e.Title}, {e.Code})"))
            : $"{status} {response.ReasonPhrase}";
        detail = SecretRedactor.RedactText(detail);

        var (kind, errorId) = status switch
        {
            401 => (CfErrorKind.Authentication, "CfAuthenticationFailed"),
            403 => (CfErrorKind.PermissionDenied, "CfPermissionDenied"),
            404 => (CfErrorKind.NotFound, "CfNotFound"),
            400 or 422 => (CfErrorKind.InvalidArgument, "CfRequestRejected"),
            409 => (CfErrorKind.InvalidOperation, "CfConflict"),
            429 => (CfErrorKind.Server, "CfRateLimited"),
            >= 500 => (CfErrorKind.Server, "CfServerError"),
            _ => (CfErrorKind.Protocol, "CfUnexpectedResponse"),
        };
        return new CfException(kind, errorId, $"Cloud Foundry answered {where}: {detail}", request?.RequestUri)
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
            return new CfException(CfErrorKind.Certificate, "CfCertificateNotTrusted",
                $"The TLS certificate of {host} is not trusted ({SecretRedactor.RedactText(tls.Message)}). " +
                "Install the foundation's CA certificate, or connect with -SkipCertificateValidation if you accept the risk.",
                uri, error);
        }
        return new CfException(CfErrorKind.Connection, "CfConnectionFailed",
            $"Could not reach {host}: {SecretRedactor.RedactText(error.Message)}", uri, error);
    }

    /// <summary>The exception for an answer that is not what Cloud Foundry sends (HTML, malformed JSON, wrong document).</summary>
    public static CfException NotCloudFoundry(Uri? uri, string what, Exception? inner = null) =>
        new(CfErrorKind.Protocol, "CfUnexpectedResponse",
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

    internal static async Task<string> ReadLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxErrorBodyBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            total += read;
        return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static T? FindInner<T>(Exception? error) where T : Exception
    {
        for (; error is not null; error = error.InnerException)
            if (error is T match) return match;
        return null;
    }

    internal static bool IsStatus(this CfException error, HttpStatusCode status) => error.StatusCode == (int)status;
}
