using FakeCloudFoundry.Http;
using FakeCloudFoundry.Json;
using FakeCloudFoundry.Model;

namespace FakeCloudFoundry.Endpoints;

/// <summary><c>GET /v3/apps[/{guid}]</c>, both with <c>include</c> = <c>space</c>, <c>org</c>, <c>space.organization</c>
/// (CC's IncludeSpaceDecorator and IncludeOrganizationDecorator).</summary>
internal static class AppEndpoints
{
    private static readonly string[] Includes = ["space", "org", "space.organization"];

    private static readonly ListSpec ListSpec = new(
        ["names", "organization_guids", "space_guids", "stacks", "include", "lifecycle_type"],
        ["created_at", "updated_at", "name", "state"]) { Includes = Includes };

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v3/apps", List);
        routes.MapGet("/v3/apps/{guid}", Get);
    }

    private static Task List(HttpContext context) => CcHandler.RunAsync(context, (state, principal) =>
    {
        var api = context.ApiUrl();
        var query = ListQuery.Parse(context.Request.Query, ListSpec, out var error);
        if (error is not null) return error;
        var include = query.Values("include") ?? [];
        var names = query.ValueSet("names");
        var guids = query.ValueSet("guids");
        var spaceGuids = query.ValueSet("space_guids");
        var orgGuids = query.ValueSet("organization_guids");
        var stacks = query.ValueSet("stacks");
        var lifecycle = query.Given.GetValueOrDefault("lifecycle_type");
        var matches = state.Apps.Where(a =>
            state.CanRead(principal, a.Space) && (names is null || names.Contains(a.Name)) &&
            (spaceGuids is null || spaceGuids.Contains(a.Space.Guid)) &&
            (orgGuids is null || orgGuids.Contains(a.Space.Organization.Guid)) &&
            (stacks is null || stacks.Contains(a.Stack)) && (lifecycle is null || lifecycle == "buildpack") &&
            query.MatchesCommon(a.Guid, a.Metadata, a.CreatedAtNs, a.UpdatedAtNs, guids));
        var page = PageSlice.Take(PageSlice.Ordered(matches, query, SortKey, a => a.Guid), query, out var total);
        return CcResult.Json(200, w =>
        {
            w.WriteStartObject();
            CcJson.WritePagination(w, api, "/v3/apps", query, total);
            w.WriteStartArray("resources");
            foreach (var app in page) CcJson.WriteApp(w, app, api);
            w.WriteEndArray();
            WriteIncluded(w, page, include, api);
            w.WriteEndObject();
        });
    });

    private static Task Get(HttpContext context) => CcHandler.RunAsync(context, (state, principal) =>
    {
        var api = context.ApiUrl();
        var include = ListQuery.ShowIncludes(context.Request.Query, Includes, out var error);
        if (error is not null) return error;
        var app = state.AppByGuid(context.RouteString("guid"));
        if (app is null || !state.CanRead(principal, app.Space)) return CcError.ResourceNotFound("App not found");
        return CcResult.Json(200, w => CcJson.WriteApp(w, app, api, included => WriteIncluded(included, [app], include, api)));
    });

    private static void WriteIncluded(System.Text.Json.Utf8JsonWriter w, IEnumerable<CfApp> apps, IReadOnlyList<string> include, string api) =>
        CcJson.WriteIncluded(w, apps.Select(a => a.Space), api,
            withSpaces: include.Contains("space") || include.Contains("space.organization"),
            withOrganizations: include.Contains("org") || include.Contains("space.organization"));

    private static IComparable SortKey(CfApp app, string field) => field switch
    {
        "name" => app.Name,
        "state" => app.State,
        "updated_at" => app.UpdatedAtNs,
        _ => app.CreatedAtNs,
    };
}
