using FakeCloudFoundry.Http;
using FakeCloudFoundry.Json;
using FakeCloudFoundry.Model;

namespace FakeCloudFoundry.Endpoints;

/// <summary><c>GET /v3/spaces[/{guid}]</c>, both with <c>include</c> = <c>organization</c> or <c>org</c>
/// (CC's IncludeSpaceOrganizationDecorator).</summary>
internal static class SpaceEndpoints
{
    private static readonly string[] Includes = ["org", "organization"];

    private static readonly ListSpec ListSpec = new(["names", "organization_guids", "include"], ["created_at", "updated_at", "name"])
    {
        Includes = Includes,
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
        var withOrganizations = query.Values("include") is { Count: > 0 };
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
            CcJson.WriteIncluded(w, page, api, withSpaces: false, withOrganizations);
            w.WriteEndObject();
        });
    });

    /// <summary>As CC's SpacesV3Controller#show: the space is looked up before the query is checked.</summary>
    private static Task Get(HttpContext context) => CcHandler.RunAsync(context, (state, principal) =>
    {
        var api = context.ApiUrl();
        var space = state.SpaceByGuid(context.RouteString("guid"));
        if (space is null || !state.CanRead(principal, space)) return CcError.ResourceNotFound("Space not found");
        var include = ListQuery.ShowIncludes(context.Request.Query, Includes, out var error);
        if (error is not null) return error;
        return CcResult.Json(200, w => CcJson.WriteSpace(w, space, api, included =>
            CcJson.WriteIncluded(included, [space], api, withSpaces: false, withOrganizations: include.Count > 0)));
    });

    private static IComparable SortKey(Space space, string field) => field switch
    {
        "name" => space.Name,
        "updated_at" => space.UpdatedAtNs,
        _ => space.CreatedAtNs,
    };
}
