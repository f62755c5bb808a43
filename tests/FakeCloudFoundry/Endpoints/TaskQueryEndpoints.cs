using FakeCloudFoundry.Http;
using FakeCloudFoundry.Identity;
using FakeCloudFoundry.Json;
using FakeCloudFoundry.Model;
using FakeCloudFoundry.State;

namespace FakeCloudFoundry.Endpoints;

/// <summary>
/// <c>GET /v3/tasks</c> (never shows <c>command</c>; rejects <c>sequence_ids</c>), <c>GET /v3/apps/{guid}/tasks</c>
/// (rejects app/space/org filters) and <c>GET /v3/tasks/{guid}</c>.
/// </summary>
internal static class TaskQueryEndpoints
{
    private static readonly string[] OrderBy = ["created_at", "updated_at"];
    private static readonly string[] Parameters = ["names", "states", "app_guids", "organization_guids", "space_guids", "app_guid", "sequence_ids"];
    private static readonly ListSpec AllTasksSpec = new(Parameters, OrderBy) { Refused = ["sequence_ids"], NotServed = ["app_guid"] };

    // CC's TasksListMessage#app_nested_request names them in this order.
    private static readonly ListSpec AppTasksSpec = new(Parameters, OrderBy) { Refused = ["space_guids", "organization_guids", "app_guids"], NotServed = ["app_guid"] };

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v3/tasks", ListAll);
        routes.MapGet("/v3/apps/{guid}/tasks", ListForApp);
        routes.MapGet("/v3/tasks/{guid}", Get);
    }

    private static Task ListAll(HttpContext context) => CcHandler.RunAsync(context, (state, principal) =>
    {
        var api = context.ApiUrl();
        var query = ListQuery.Parse(context.Request.Query, AllTasksSpec, out var error);
        if (error is not null) return error;
        state.SettleLocked();
        var appGuids = query.ValueSet("app_guids");
        var spaceGuids = query.ValueSet("space_guids");
        var orgGuids = query.ValueSet("organization_guids");
        var apps = state.Apps.Where(a =>
            state.CanRead(principal, a.Space) && (appGuids is null || appGuids.Contains(a.Guid)) &&
            (spaceGuids is null || spaceGuids.Contains(a.Space.Guid)) &&
            (orgGuids is null || orgGuids.Contains(a.Space.Organization.Guid))).ToHashSet();
        // One app: its own list is already in creation order; otherwise one pass over all tasks in creation order.
        IEnumerable<FakeTask> candidates = apps.Count switch
        {
            0 => [],
            1 => apps.First().Tasks,
            _ when apps.Count == state.Apps.Count => state.AllTasks,
            _ => state.AllTasks.Where(t => apps.Contains(t.App)),
        };
        return ListTasks(state, api, query, candidates, "/v3/tasks", _ => false);
    });

    private static Task ListForApp(HttpContext context) => CcHandler.RunAsync(context, (state, principal) =>
    {
        var api = context.ApiUrl();
        var query = ListQuery.Parse(context.Request.Query, AppTasksSpec, out var error);
        if (error is not null) return error;
        var app = state.AppByGuid(context.RouteString("guid"));
        if (app is null || !state.CanRead(principal, app.Space)) return CcError.ResourceNotFound("App not found");
        state.SettleLocked();
        IEnumerable<FakeTask> candidates = app.Tasks;
        if (query.Values("sequence_ids") is { } sequenceIds)
        {
            var wanted = sequenceIds.Select(s => int.TryParse(s, out var id) ? id : -1).ToHashSet();
            candidates = candidates.Where(t => wanted.Contains(t.SequenceId));
        }
        var showCommand = state.CanWrite(principal, app.Space);
        return ListTasks(state, api, query, candidates, $"/v3/apps/{app.Guid}/tasks", _ => showCommand);
    });

    private static Task Get(HttpContext context) => CcHandler.RunAsync(context, (state, principal) =>
    {
        var api = context.ApiUrl();
        state.SettleLocked();
        var task = VisibleTask(state, principal, context.RouteString("guid"));
        if (task is null) return CcError.ResourceNotFound("Task not found");
        return CcResult.Json(200, w => CcJson.WriteTask(w, task, api, state.CanWrite(principal, task.App.Space)));
    });

    internal static FakeTask? VisibleTask(FakeState state, Principal principal, string guid)
    {
        var task = state.TaskByGuid(guid);
        return task is not null && state.CanRead(principal, task.App.Space) ? task : null;
    }

    private static CcResult ListTasks(FakeState state, string api, ListQuery query, IEnumerable<FakeTask> candidates, string path, Func<FakeTask, bool> showCommand)
    {
        var names = query.ValueSet("names");
        var states = query.ValueSet("states");
        var guids = query.ValueSet("guids");
        var filtered = names is null && states is null && guids is null && !query.FiltersByLabelsOrTime
            ? candidates
            : candidates.Where(t =>
                (names is null || names.Contains(t.Name)) && (states is null || states.Contains(t.State)) &&
                query.MatchesCommon(t.Guid, t.Metadata, t.CreatedAtNs, t.UpdatedAtNs, guids));
        // CC orders by the timestamp it stores and shows, whole seconds (MySQL), then by guid: tasks started in the same
        // second come in guid order, not creation order.
        var ordered = PageSlice.Ordered(filtered, query, (t, field) => WholeSecond(field == "updated_at" ? t.UpdatedAtNs : t.CreatedAtNs), t => t.Guid);
        var page = PageSlice.Take(ordered, query, out var total);
        return CcResult.Json(200, w => CcJson.WriteList(w, api, path, query, total, page,
            (writer, task) => CcJson.WriteTask(writer, task, api, showCommand(task))), capacityHint: 2048 + page.Count * 1100);
    }

    private static long WholeSecond(long unixNs) => unixNs - ((unixNs % 1_000_000_000) + 1_000_000_000) % 1_000_000_000;
}
