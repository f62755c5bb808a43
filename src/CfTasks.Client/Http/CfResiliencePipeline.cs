using System.Net;
using Polly;
using Polly.Retry;

namespace CfTasks.Client.Http;

/// <summary>
/// The one resilience pipeline every HTTP call goes through: a bounded total time, retries with exponential backoff
/// and jitter for safe requests on 429/502/503/504, connection failures and attempt timeouts (honouring Retry-After),
/// and a per-attempt timeout. Unsafe requests (task creation) are never retried here: see TaskStarter.
/// </summary>
internal static class CfResiliencePipeline
{
    /// <summary>Context key: the request being sent (so retry decisions can look at its method).</summary>
    internal static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("cftasks.request");

    /// <summary>
    /// The pipeline for one API. <paramref name="retryRateLimited"/> is false where the caller answers 429 itself
    /// (log-cache reads halve their page size instead, as the cf CLI does); other transient failures are still retried.
    /// </summary>
    public static ResiliencePipeline<HttpResponseMessage> Create(CfClientOptions options, bool retryRateLimited = true) =>
        new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(options.TotalTimeout)
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Context, args.Outcome, retryRateLimited)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(RetryAfter.Of(args.Outcome.Result, options.RetryMaxDelay, DateTimeOffset.UtcNow)),
                OnRetry = args =>
                {
                    var request = args.Context.Properties.GetValue(RequestKey, null!);
                    var why = args.Outcome.Result is { } response
                        ? $"answered {(int)response.StatusCode} {response.ReasonPhrase}"
                        : $"failed ({args.Outcome.Exception?.GetType().Name}: {SecretRedactor.RedactText(args.Outcome.Exception?.Message ?? "")})";
                    CfDiagnostics.Verbose(
                        $"{request?.Method} {SecretRedactor.RedactUrl(request?.RequestUri)} {why}; retry {args.AttemptNumber + 1} of {options.MaxRetries} in {args.RetryDelay.TotalSeconds:0.0} s");
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            })
            .AddTimeout(options.RequestTimeout)
            .Build();

    private static bool ShouldRetry(ResilienceContext context, Outcome<HttpResponseMessage> outcome, bool retryRateLimited)
    {
        if (context.CancellationToken.IsCancellationRequested) return false;
        var request = context.Properties.GetValue(RequestKey, null!);
        if (request is null || !IsSafeToRetry(request)) return false;
        if (outcome.Result is { } response)
        {
            if ((int)response.StatusCode == 429) return retryRateLimited;
            return IsTransientStatus(response.StatusCode);
        }
        return outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException or IOException;
    }

    private static bool IsSafeToRetry(HttpRequestMessage request) => request.Method == HttpMethod.Get || request.Method == HttpMethod.Head;

    private static bool IsTransientStatus(HttpStatusCode status) =>
        (int)status == 429 || status is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}
