using System.Diagnostics;
using System.Text;

namespace CfTasks.Client.Http;

/// <summary>
/// Tells each HTTP exchange: a one-line summary to verbose (method, path, status, time) and, when debug is on, the
/// request and response with headers and bodies redacted by <see cref="SecretRedactor"/>. Sits innermost, so every
/// attempt (retries, replays after a token refresh) is shown.
/// </summary>
internal sealed class CfTraceHandler : DelegatingHandler
{
    private const int MaxTracedBodyChars = 4096;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var debug = CfDiagnostics.IsDebugEnabled;
        if (debug) CfDiagnostics.Debug(await DescribeRequestAsync(request, cancellationToken).ConfigureAwait(false));

        var clock = Stopwatch.StartNew();
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            CfDiagnostics.Verbose($"{request.Method} {SecretRedactor.RedactUrl(request.RequestUri)} {(int)response.StatusCode} {response.ReasonPhrase} ({clock.ElapsedMilliseconds} ms)");
            if (debug) CfDiagnostics.Debug(await DescribeResponseAsync(response, cancellationToken).ConfigureAwait(false));
            return response;
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            CfDiagnostics.Verbose($"{request.Method} {SecretRedactor.RedactUrl(request.RequestUri)} failed after {clock.ElapsedMilliseconds} ms: {SecretRedactor.RedactText(error.Message)}");
            throw;
        }
    }

    private static async Task<string> DescribeRequestAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        text.Append("REQUEST: ").Append(request.Method).Append(' ').AppendLine(SecretRedactor.RedactUrl(request.RequestUri));
        AppendHeaders(text, request.Headers);
        if (request.Content is not null)
        {
            AppendHeaders(text, request.Content.Headers);
            var body = await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            AppendBody(text, body, request.Content.Headers.ContentType?.MediaType);
        }
        return text.ToString().TrimEnd();
    }

    private static async Task<string> DescribeResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        text.Append("RESPONSE: ").Append((int)response.StatusCode).Append(' ').AppendLine(response.ReasonPhrase);
        AppendHeaders(text, response.Headers);
        AppendHeaders(text, response.Content.Headers);
        await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        AppendBody(text, body, response.Content.Headers.ContentType?.MediaType);
        return text.ToString().TrimEnd();
    }

    private static void AppendHeaders(StringBuilder text, System.Net.Http.Headers.HttpHeaders headers)
    {
        foreach (var header in headers)
        {
            var value = SecretRedactor.IsSecretHeader(header.Key)
                ? SecretRedactor.Hidden
                : SecretRedactor.RedactText(string.Join(", ", header.Value));
            text.Append(header.Key).Append(": ").AppendLine(value);
        }
    }

    private static void AppendBody(StringBuilder text, string body, string? mediaType)
    {
        if (body.Length == 0) return;
        var redacted = SecretRedactor.RedactBody(body, mediaType);
        text.AppendLine(redacted.Length > MaxTracedBodyChars
            ? redacted[..MaxTracedBodyChars] + $"... ({redacted.Length - MaxTracedBodyChars} more characters)"
            : redacted);
    }
}
