using FakeCloudFoundry.Http;
using FakeCloudFoundry.Json;
using FakeCloudFoundry.Model;
using FakeCloudFoundry.State;

namespace FakeCloudFoundry.Endpoints;

/// <summary>
/// Task changes: <c>POST /v3/apps/{guid}/tasks</c> (202, RUNNING), <c>POST /v3/tasks/{guid}/actions/cancel</c> and
/// the deprecated <c>PUT /v3/tasks/{guid}/cancel</c> (202, CANCELING), <c>PATCH /v3/tasks/{guid}</c> (metadata).
/// Responses to these always include <c>command</c>.
/// </summary>
internal static class TaskCommandEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v3/apps/{guid}/tasks", Create);
        routes.MapPost("/v3/tasks/{guid}/actions/cancel", Cancel);
        routes.MapPut("/v3/tasks/{guid}/cancel", Cancel);
        routes.MapPatch("/v3/tasks/{guid}", UpdateMetadata);
    }

    /// <summary>In CC's order (tasks_controller.rb#create, task_create.rb): body, app, permission, requested droplet
    /// (one of the app's droplets), some droplet at all, disk limit, template process (any process CC finds).</summary>
    private static Task Create(HttpContext context) => CcHandler.RunWithBodyAsync(context, (state, principal, body) =>
    {
        var api = context.ApiUrl();
        var message = TaskCreateMessage.Parse(body, out var invalid);
        if (invalid is not null) return invalid;
        var app = state.AppByGuid(context.RouteString("guid"));
        if (app is null || !state.CanRead(principal, app.Space)) return CcError.ResourceNotFound("App not found");
        if (!state.CanWrite(principal, app.Space)) return CcError.NotAuthorized();
        if (message.DropletGuid is { } requested && app.Droplets.Find(d => d.Guid == requested) is null)
            return CcError.ResourceNotFound("Droplet not found");
        var dropletGuid = message.DropletGuid ?? app.DropletGuid;
        if (dropletGuid is null) return CcError.Unprocessable("Task must have a droplet. Specify droplet or assign current droplet to app.");
        if (message.DiskInMb > 2048) return CcError.Unprocessable("Cannot request disk_in_mb greater than 2048");
        AppProcess? template = null;
        if (message.TemplateProcessGuid is { } processGuid && (template = state.ProcessByGuid(processGuid)) is null)
            return CcError.ProcessNotFound(processGuid);

        var request = new TaskRequest(
            message.Name, message.Command ?? template!.Command, message.MemoryInMb ?? template?.MemoryInMb ?? 1024,
            message.DiskInMb ?? template?.DiskInMb ?? 1024, message.LogRateLimit ?? template?.LogRateLimitInBytesPerSecond ?? -1, dropletGuid,
            message.User ?? template?.User ?? "vcap", message.Metadata);
        var task = state.StartTaskLocked(app, request);
        return CcResult.Json(202, w => CcJson.WriteTask(w, task, api, showCommand: true));
    });

    private static Task Cancel(HttpContext context) => CcHandler.RunAsync(context, (state, principal) =>
    {
        var api = context.ApiUrl();
        state.SettleLocked();
        var task = TaskQueryEndpoints.VisibleTask(state, principal, context.RouteString("guid"));
        if (task is null) return CcError.ResourceNotFound("Task not found");
        if (!state.CanWrite(principal, task.App.Space)) return CcError.NotAuthorized();
        if (!state.CancelTaskLocked(task)) return CcError.Unprocessable($"Task state is {task.State} and therefore cannot be canceled");
        return CcResult.Json(202, w => CcJson.WriteTask(w, task, api, showCommand: true));
    });

    /// <summary>
    /// CC's TaskUpdateMessage (metadata only) then tasks_controller.rb#update: body problems (422) before the task is
    /// looked up (404, 403). Labels live beside the task row, so its <c>updated_at</c> does not change.
    /// </summary>
    private static Task UpdateMetadata(HttpContext context) => CcHandler.RunWithBodyAsync(context, (state, principal, body) =>
    {
        var api = context.ApiUrl();
        var problems = new List<string>();
        var metadata = MetadataMessage.Read(body, problems);
        var unknown = body.EnumerateObject().Select(p => p.Name).Where(n => n != "metadata").ToList();
        if (unknown.Count > 0) problems.Add("Unknown field(s): " + string.Join(", ", unknown.Select(n => $"'{n}'")));
        if (problems.Count > 0) return CcError.Unprocessable(string.Join(", ", problems));
        state.SettleLocked();
        var task = TaskQueryEndpoints.VisibleTask(state, principal, context.RouteString("guid"));
        if (task is null) return CcError.ResourceNotFound("Task not found");
        if (!state.CanWrite(principal, task.App.Space)) return CcError.NotAuthorized();
        metadata?.ApplyTo(task.Metadata);
        return CcResult.Json(200, w => CcJson.WriteTask(w, task, api, showCommand: true));
    });
}
