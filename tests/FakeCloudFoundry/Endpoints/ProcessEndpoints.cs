using FakeCloudFoundry.Http;
using FakeCloudFoundry.Json;

namespace FakeCloudFoundry.Endpoints;

/// <summary><c>GET /v3/apps/{guid}/processes[/{type}]</c> and <c>GET /v3/processes/{guid}</c>.
/// The command is shown to admins and space developers, redacted as CC does for everyone else.</summary>
internal static class ProcessEndpoints
{
    private static readonly ListSpec ListSpec = new(["app_guid", "types", "space_guids", "organization_guids", "app_guids", "embed"], ["created_at", "updated_at"])
    {
        Refused = ["app_guids", "organization_guids", "space_guids"],
        NotServed = ["app_guid", "embed"],
    };

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v3/apps/{guid}/processes", ListForApp);
        routes.MapGet("/v3/apps/{guid}/processes/{type}", GetForApp);
        routes.MapGet("/v3/processes/{guid}", Get);
    }

    private static Task ListForApp(HttpContext context) => CcHandler.RunAsync(context, (state, principal) =>
    {
        var api = context.ApiUrl();
        var query = ListQuery.Parse(context.Request.Query, ListSpec, out var error);
        if (error is not null) return error;
        var app = state.AppByGuid(context.RouteString("guid"));
        if (app is null || !state.CanRead(principal, app.Space)) return CcError.ResourceNotFound("App not found");
        var types = query.ValueSet("types");
        var guids = query.ValueSet("guids");
        var matches = app.Processes.Where(p =>
            (types is null || types.Contains(p.Type)) && query.MatchesCommon(p.Guid, p.Metadata, p.CreatedAtNs, p.UpdatedAtNs, guids));
        var page = PageSlice.Take(PageSlice.Ordered(matches, query, (p, field) => field == "updated_at" ? p.UpdatedAtNs : p.CreatedAtNs, p => p.Guid), query, out var total);
        var showCommand = state.CanWrite(principal, app.Space);
        return CcResult.Json(200, w => CcJson.WriteList(w, api, $"/v3/apps/{app.Guid}/processes", query, total, page,
            (writer, process) => CcJson.WriteProcess(writer, process, api, showCommand)));
    });

    private static Task GetForApp(HttpContext context) => CcHandler.RunAsync(context, (state, principal) =>
    {
        var api = context.ApiUrl();
        var app = state.AppByGuid(context.RouteString("guid"));
        if (app is null || !state.CanRead(principal, app.Space)) return CcError.ResourceNotFound("App not found");
        var process = app.FindProcess(context.RouteString("type"));
        if (process is null) return CcError.ResourceNotFound("Process not found");
        return CcResult.Json(200, w => CcJson.WriteProcess(w, process, api, state.CanWrite(principal, app.Space)));
    });

    private static Task Get(HttpContext context) => CcHandler.RunAsync(context, (state, principal) =>
    {
        var api = context.ApiUrl();
        var process = state.ProcessByGuid(context.RouteString("guid"));
        if (process is null || !state.CanRead(principal, process.App.Space)) return CcError.ResourceNotFound("Process not found");
        return CcResult.Json(200, w => CcJson.WriteProcess(w, process, api, state.CanWrite(principal, process.App.Space)));
    });
}
