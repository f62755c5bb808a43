using FakeCloudFoundry.Http;
using FakeCloudFoundry.State;

namespace FakeCloudFoundry.Faults;

/// <summary>Counts and records every CC, UAA and log-cache request (not the controls). Never records a token.</summary>
internal sealed class TrafficRecorder(RequestDelegate next, FakeState state)
{
    public const string FaultItemKey = "fake.fault";

    public async Task InvokeAsync(HttpContext context)
    {
        if (ServiceRoutes.Classify(context.Request.Path) == FakeService.Controls)
        {
            await next(context);
            return;
        }
        var startedAt = DateTimeOffset.UtcNow;
        state.Journal.Started();
        var status = 0;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            var fault = context.Items[FaultItemKey] as string;
            if (fault is FaultActions.Hang or FaultActions.DropBefore or FaultActions.DropAfter || context.RequestAborted.IsCancellationRequested)
                status = 0;
            state.Journal.Ended(new RecordedRequest(
                context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", status,
                AuthKind(context.Request), startedAt, DateTimeOffset.UtcNow, fault));
        }
    }

    private static string AuthKind(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase)) return "bearer";
        if (header.StartsWith("basic ", StringComparison.OrdinalIgnoreCase)) return "basic";
        return header.Length == 0 ? "none" : "other";
    }
}
