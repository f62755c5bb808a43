using FakeCloudFoundry.Http;
using FakeCloudFoundry.Json;
using FakeCloudFoundry.Model;

namespace FakeCloudFoundry.Endpoints;

/// <summary><c>GET /v3/spaces[/{guid}]</c> (the list with <c>include=organization</c> or <c>org</c>).</summary>
internal static class SpaceEndpoints
{
    private static readonly ListSpec ListSpec = new(["names", "organization_guids", "include"], ["created_at", "updated_at", "name"])
    {
        Includes = ["org", "organization"],
    };

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v3/spaces", List);
        routes.MapGet("/v3/spaces/{guid}", Get);
    }

    private static Task List(HttpContext context) => CcHandler.RunAsync(context, (state, principal) =>
    {
        var api = context.ApiUrl();
        var query = ListQuery.Parse(context.Request.Query, ListSpec, out var error);
        if (error is not null) return error;
        var include = query.Values("include") ?? [];
        var names = query.ValueSet("names");
        var guids = query.ValueSet("guids");
        var orgGuids = query.ValueSet("organization_guids");
        var matches = state.Spaces.Where(s =>
            state.CanRead(principal, s) && (names is null || names.Contains(s.Name)) &&
            (orgGuids is null || orgGuids.Contains(s.Organization.Guid)) &&
            query.MatchesCommon(s.Guid, s.Metadata, s.CreatedAtNs, s.UpdatedAtNs, guids));
        var page = PageSlice.Take(PageSlice.Ordered(matches, query, SortKey, s => s.Guid), query, out var total);
        return CcResult.Json(200, w =>
        {
            w.WriteStartObject();
            CcJson.WritePagination(w, api, "/v3/spaces", query, total);
            w.WriteStartArray("resources");
            foreach (var space in page) CcJson.WriteSpace(w, space, api);
            w.WriteEndArray();
            if (include.Count > 0)
            {
                w.WriteStartObject("included");
                CcJson.WriteIncludedOrganizations(w, page, api);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        });
    });

    private static Task Get(HttpContext context) => CcHandler.RunAsync(context, (state, principal) =>
    {
        var api = context.ApiUrl();
        var space = state.SpaceByGuid(context.RouteString("guid"));
        if (space is null || !state.CanRead(principal, space)) return CcError.ResourceNotFound("Space not found");
        return CcResult.Json(200, w => CcJson.WriteSpace(w, space, api));
    });

    private static IComparable SortKey(Space space, string field) => field switch
    {
        "name" => space.Name,
        "updated_at" => space.UpdatedAtNs,
        _ => space.CreatedAtNs,
    };
}
