using System.Text.Json;
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
    private static readonly string[] CreateFields =
        ["name", "command", "disk_in_mb", "memory_in_mb", "log_rate_limit_in_bytes_per_second", "droplet_guid", "template", "user", "metadata"];

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v3/apps/{guid}/tasks", Create);
        routes.MapPost("/v3/tasks/{guid}/actions/cancel", Cancel);
        routes.MapPut("/v3/tasks/{guid}/cancel", Cancel);
        routes.MapPatch("/v3/tasks/{guid}", UpdateMetadata);
    }

    private static Task Create(HttpContext context) => CcHandler.RunWithBodyAsync(context, (state, principal, body) =>
    {
        var api = context.ApiUrl();
        var message = TaskCreateMessage.Parse(body, CreateFields, out var invalid);
        if (invalid is not null) return invalid;
        var app = state.AppByGuid(context.RouteString("guid"));
        if (app is null || !state.CanRead(principal, app.Space)) return CcError.ResourceNotFound("App not found");
        if (!state.CanWrite(principal, app.Space)) return CcError.NotAuthorized();

        AppProcess? template = null;
        if (message.TemplateProcessGuid is { } processGuid)
        {
            template = state.ProcessByGuid(processGuid);
            if (template is null || template.App != app) return CcError.ProcessNotFound(processGuid);
        }
        var dropletGuid = message.DropletGuid ?? app.DropletGuid;
        if (message.DropletGuid is not null && message.DropletGuid != app.DropletGuid) return CcError.ResourceNotFound("Droplet not found");
        if (dropletGuid is null) return CcError.Unprocessable("Task must have a droplet. Specify droplet or assign current droplet to app.");
        var command = message.Command ?? template?.Command;
        if (command is null) return CcError.Unprocessable("Command No command or template provided");
        var disk = message.DiskInMb ?? template?.DiskInMb ?? 1024;
        if (disk > 2048) return CcError.Unprocessable("Cannot request disk_in_mb greater than 2048");

        var request = new TaskRequest(
            message.Name, command, message.MemoryInMb ?? template?.MemoryInMb ?? 1024, disk,
            message.LogRateLimit ?? template?.LogRateLimitInBytesPerSecond ?? -1, dropletGuid, message.User ?? template?.User ?? "vcap",
            message.Labels, message.Annotations);
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

    private static Task UpdateMetadata(HttpContext context) => CcHandler.RunWithBodyAsync(context, (state, principal, body) =>
    {
        var api = context.ApiUrl();
        var unknown = body.EnumerateObject().Select(p => p.Name).Where(n => n != "metadata").ToList();
        if (unknown.Count > 0) return CcError.Unprocessable("Unknown field(s): " + string.Join(", ", unknown.Select(n => $"'{n}'")));
        state.SettleLocked();
        var task = TaskQueryEndpoints.VisibleTask(state, principal, context.RouteString("guid"));
        if (task is null) return CcError.ResourceNotFound("Task not found");
        if (!state.CanWrite(principal, task.App.Space)) return CcError.NotAuthorized();
        if (body.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            ApplyMetadata(task.Metadata.Labels, metadata, "labels");
            ApplyMetadata(task.Metadata.Annotations, metadata, "annotations");
            task.UpdatedAtNs = state.Clock.NowNs;
        }
        return CcResult.Json(200, w => CcJson.WriteTask(w, task, api, showCommand: true));
    });

    /// <summary>Sets string values and removes keys whose value is null (V3 metadata rule).</summary>
    private static void ApplyMetadata(Dictionary<string, string> target, JsonElement metadata, string name)
    {
        if (!metadata.TryGetProperty(name, out var map) || map.ValueKind != JsonValueKind.Object) return;
        foreach (var entry in map.EnumerateObject())
        {
            if (entry.Value.ValueKind == JsonValueKind.Null) target.Remove(entry.Name);
            else target[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
        }
    }
}
