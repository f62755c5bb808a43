using FakeCloudFoundry.Http;
using FakeCloudFoundry.Json;
using FakeCloudFoundry.Model;

namespace FakeCloudFoundry.Endpoints;

/// <summary>
/// <c>GET /v3/droplets/{guid}</c>, <c>GET /v3/apps/{guid}/droplets</c> and <c>GET /v3/apps/{guid}/droplets/current</c>
/// (cloud_controller_ng <c>droplets_controller.rb</c>, <c>apps_v3_controller.rb#current_droplet</c>,
/// <c>droplet_list_fetcher.rb</c>): unreadable or missing → 404 <c>Droplet not found</c>; lists leave STAGING droplets
/// out and always hide execution metadata and process types.
/// </summary>
internal static class DropletEndpoints
{
    private const string HiddenInLists = "[PRIVATE DATA HIDDEN IN LISTS]";
    private const string Hidden = "[PRIVATE DATA HIDDEN]";

    private static readonly ListSpec AppDropletsSpec = new(
        ["app_guid", "app_guids", "current", "organization_guids", "package_guid", "space_guids", "states"], ["created_at", "updated_at"])
    {
        Refused = ["app_guids", "organization_guids", "space_guids"],
        NotServed = ["app_guid", "package_guid"],
    };

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v3/droplets/{guid}", Get);
        routes.MapGet("/v3/apps/{guid}/droplets", ListForApp);
        routes.MapGet("/v3/apps/{guid}/droplets/current", Current);
    }

    private static Task Get(HttpContext context) => CcHandler.RunAsync(context, (state, principal) =>
    {
        var api = context.ApiUrl();
        var droplet = state.DropletByGuid(context.RouteString("guid"));
        if (droplet is null || !state.CanRead(principal, droplet.App.Space)) return CcError.ResourceNotFound("Droplet not found");
        var censored = state.CanWrite(principal, droplet.App.Space) ? null : Hidden;
        return CcResult.Json(200, w => CcJson.WriteDroplet(w, droplet, api, censored));
    });

    private static Task Current(HttpContext context) => CcHandler.RunAsync(context, (state, principal) =>
    {
        var api = context.ApiUrl();
        var app = state.AppByGuid(context.RouteString("guid"));
        if (app is null || !state.CanRead(principal, app.Space)) return CcError.ResourceNotFound("App not found");
        var droplet = app.DropletGuid is { } guid ? state.DropletByGuid(guid) : null;
        if (droplet is null) return CcError.ResourceNotFound("Droplet not found");
        var censored = state.CanWrite(principal, app.Space) ? null : Hidden;
        return CcResult.Json(200, w => CcJson.WriteDroplet(w, droplet, api, censored));
    });

    private static Task ListForApp(HttpContext context) => CcHandler.RunAsync(context, (state, principal) =>
    {
        var api = context.ApiUrl();
        var query = ListQuery.Parse(context.Request.Query, AppDropletsSpec, out var error);
        if (error is not null) return error;
        if (query.Given.TryGetValue("current", out var current) && current != "true")
            return CcError.BadQueryParameter("Current only accepts the value 'true'");
        var app = state.AppByGuid(context.RouteString("guid"));
        if (app is null || !state.CanRead(principal, app.Space)) return CcError.ResourceNotFound("App not found");
        var states = query.ValueSet("states");
        var guids = query.ValueSet("guids");
        var matches = app.Droplets.Where(d =>
            d.State != "STAGING" && (current is null || d.Guid == app.DropletGuid) && (states is null || states.Contains(d.State)) &&
            query.MatchesCommon(d.Guid, d.Metadata, d.CreatedAtNs, d.UpdatedAtNs, guids));
        var page = PageSlice.Take(PageSlice.Ordered(matches, query, (d, field) => field == "updated_at" ? d.UpdatedAtNs : d.CreatedAtNs, d => d.Guid), query, out var total);
        return CcResult.Json(200, w => CcJson.WriteList(w, api, $"/v3/apps/{app.Guid}/droplets", query, total, page,
            (writer, droplet) => CcJson.WriteDroplet(writer, droplet, api, HiddenInLists)));
    });
}
