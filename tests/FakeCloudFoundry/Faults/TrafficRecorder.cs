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
        var recorded = 0;
        void Record(int status)
        {
            if (Interlocked.Exchange(ref recorded, 1) == 1) return;
            var fault = context.Items[FaultItemKey] as string;
            if (fault is FaultActions.Hang or FaultActions.DropBefore or FaultActions.DropAfter || context.RequestAborted.IsCancellationRequested)
                status = 0;
            state.Journal.Ended(new RecordedRequest(
                context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", status,
                AuthKind(context.Request), startedAt, DateTimeOffset.UtcNow, fault));
        }

        // Recorded when the answer starts, before the client can have read any of it: a test that has its response in
        // hand always finds the request in the journal. Requests that never answer are recorded when they end.
        context.Response.OnStarting(() =>
        {
            Record(context.Response.StatusCode);
            return Task.CompletedTask;
        });
        var status = 0;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            Record(status);
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
