using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace CfTasks.Client.Http;

/// <summary>
/// The one resilience pipeline every HTTP call goes through: a bounded total time, retries with exponential backoff
/// and jitter for safe requests on 429/502/503/504, connection failures and attempt timeouts (honouring Retry-After),
/// and a per-attempt timeout. Unsafe requests (task creation) are never retried here: see TaskService.
/// </summary>
internal static class CfResiliencePipeline
{
    /// <summary>Context key: the request being sent (so retry decisions can look at its method).</summary>
    internal static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("cftasks.request");

    /// <summary>Request option: retrying this request is safe even though its method is not GET.</summary>
    internal static readonly HttpRequestOptionsKey<bool> RetrySafe = new("cftasks.retry-safe");

    /// <summary>
    /// Request option: the caller handles 429 itself (log-cache reads halve their limit instead, as the cf CLI does),
    /// so the pipeline must not retry it. Other transient failures are still retried.
    /// </summary>
    internal const string CallerHandlesRateLimitKey = "cftasks.caller-handles-429";
    internal static readonly HttpRequestOptionsKey<bool> CallerHandlesRateLimit = new(CallerHandlesRateLimitKey);

    public static ResiliencePipeline<HttpResponseMessage> Create(CfClientOptions options) =>
        new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(options.TotalTimeout)
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Context, args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.RetryMaxDelay)),
                OnRetry = args =>
                {
                    var request = args.Context.Properties.GetValue(RequestKey, null!);
                    var why = args.Outcome.Result is { } response
                        ? $"answered {(int)response.StatusCode} {response.ReasonPhrase}"
                        : $"failed ({args.Outcome.Exception?.GetType().Name}: {SecretRedactor.RedactText(args.Outcome.Exception?.Message ?? "")})";
                    CfDiagnostics.Verbose(
                        $"{request?.Method} {SecretRedactor.RedactUrl(request?.RequestUri)} {why}; retry {args.AttemptNumber + 1} of {options.MaxRetries} in {args.RetryDelay.TotalSeconds:0.0} s");
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.RequestTimeout)
            .Build();

    private static bool ShouldRetry(ResilienceContext context, Outcome<HttpResponseMessage> outcome)
    {
        if (context.CancellationToken.IsCancellationRequested) return false;
        var request = context.Properties.GetValue(RequestKey, null!);
        if (request is null || !IsSafeToRetry(request)) return false;
        if (outcome.Result is { } response)
        {
            if (response.StatusCode == HttpStatusCodes.TooManyRequests
                && request.Options.TryGetValue(CallerHandlesRateLimit, out var handled) && handled) return false;
            return IsTransientStatus(response.StatusCode);
        }
        return outcome.Exception is HttpRequestException or TimeoutRejectedException or IOException;
    }

    internal static bool IsSafeToRetry(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get || request.Method == HttpMethod.Head ||
        (request.Options.TryGetValue(RetrySafe, out var safe) && safe);

    internal static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCodes.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable
            or HttpStatusCode.GatewayTimeout;

    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null) return null; // use the exponential backoff
        var wait = header.Delta ?? (header.Date is { } date ? date - DateTimeOffset.UtcNow : TimeSpan.Zero);
        if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
        return wait > cap ? cap : wait;
    }
}
