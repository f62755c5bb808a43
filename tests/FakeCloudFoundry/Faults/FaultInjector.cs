using System.Text;
using FakeCloudFoundry.Http;
using FakeCloudFoundry.State;
using Microsoft.AspNetCore.Http.Features;

namespace FakeCloudFoundry.Faults;

/// <summary>Applies the configured latency and fault rules to CC, UAA and log-cache requests.</summary>
internal sealed class FaultInjector(RequestDelegate next, FakeState state, IHostApplicationLifetime lifetime)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var service = ServiceRoutes.Classify(context.Request.Path);
        if (service == FakeService.Controls)
        {
            await next(context);
            return;
        }
        var latency = state.LatencyMs;
        if (latency > 0) await Task.Delay(latency, context.RequestAborted);

        var rule = state.Faults.Fire(context.Request.Method, context.Request.Path.Value ?? "");
        if (rule is null)
        {
            await next(context);
            return;
        }
        context.Items[TrafficRecorder.FaultItemKey] = rule.Action;
        switch (rule.Action)
        {
            case FaultActions.Status:
                await WriteStatus(context, service, rule);
                break;
            case FaultActions.Body:
                await WriteBody(context, rule, rule.Status ?? 200, rule.Body ?? "");
                break;
            case FaultActions.Delay:
                await Task.Delay(rule.DelayMs ?? 1000, context.RequestAborted);
                await next(context);
                break;
            case FaultActions.Hang:
                await Hang(context);
                break;
            case FaultActions.DropBefore:
                context.Abort();
                break;
            case FaultActions.DropAfter:
                // Let the request take effect, keep its answer away from the socket, then reset the connection.
                context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(new MemoryStream()));
                await next(context);
                context.Abort();
                break;
        }
    }

    private async Task Hang(HttpContext context)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, both.Token);
        }
        catch (OperationCanceledException)
        {
        }
        context.Abort();
    }

    private static Task WriteStatus(HttpContext context, FakeService service, FaultRule rule)
    {
        var status = rule.Status ?? 503;
        if (rule.Body is not null) return WriteBody(context, rule, status, rule.Body);
        if (rule.RetryAfterSeconds is { } retryAfter) context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return service switch
        {
            FakeService.Uaa => JsonBody.WriteAsync(context, status, w =>
            {
                w.WriteStartObject();
                w.WriteString("error", status == 401 ? "invalid_token" : status == 429 ? "too_many_requests" : "server_error");
                w.WriteString("error_description", $"Injected fault: HTTP {status}");
                w.WriteEndObject();
            }),
            FakeService.LogCache when status == 404 => Empty(context, status),
            FakeService.LogCache => JsonBody.WriteAsync(context, status, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("code", status switch { 429 => 8, 503 => 14, 401 => 16, _ => 13 });
                w.WriteString("message", $"injected fault: HTTP {status}");
                w.WriteEndObject();
            }),
            _ => CcError.ForStatus(status) with { Status = status } is var error ? error.WriteAsync(context) : Task.CompletedTask,
        };
    }

    private static async Task WriteBody(HttpContext context, FaultRule rule, int status, string body)
    {
        if (rule.RetryAfterSeconds is { } retryAfter) context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bytes = Encoding.UTF8.GetBytes(body);
        var repeat = Math.Max(1, rule.Repeat ?? 1);
        context.Response.StatusCode = status;
        context.Response.ContentType = rule.ContentType ?? JsonBody.ContentType;
        context.Response.ContentLength = (long)bytes.Length * repeat;
        for (var i = 0; i < repeat; i++) await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private static Task Empty(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
