using FakeCloudFoundry.Http;
using FakeCloudFoundry.Json;
using FakeCloudFoundry.Model;

namespace FakeCloudFoundry.Endpoints;

/// <summary><c>GET /v3/organizations[/{guid}]</c>.</summary>
internal static class OrganizationEndpoints
{
    private static readonly ListSpec ListSpec = new(["names", "isolation_segment_guid"], ["created_at", "updated_at", "name"])
    {
        NotServed = ["isolation_segment_guid"],
    };

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v3/organizations", List);
        routes.MapGet("/v3/organizations/{guid}", Get);
    }

    private static Task List(HttpContext context) => CcHandler.RunAsync(context, (state, principal) =>
    {
        var api = context.ApiUrl();
        var query = ListQuery.Parse(context.Request.Query, ListSpec, out var error);
        if (error is not null) return error;
        var names = query.ValueSet("names");
        var guids = query.ValueSet("guids");
        var matches = state.Organizations.Where(o =>
            state.CanRead(principal, o) && (names is null || names.Contains(o.Name)) &&
            query.MatchesCommon(o.Guid, o.Metadata, o.CreatedAtNs, o.UpdatedAtNs, guids));
        var page = PageSlice.Take(PageSlice.Ordered(matches, query, SortKey, o => o.Guid), query, out var total);
        return CcResult.Json(200, w => CcJson.WriteList(w, api, "/v3/organizations", query, total, page,
            (writer, org) => CcJson.WriteOrganization(writer, org, api)));
    });

    private static Task Get(HttpContext context) => CcHandler.RunAsync(context, (state, principal) =>
    {
        var api = context.ApiUrl();
        var org = state.OrganizationByGuid(context.RouteString("guid"));
        if (org is null || !state.CanRead(principal, org)) return CcError.ResourceNotFound("Organization not found");
        return CcResult.Json(200, w => CcJson.WriteOrganization(w, org, api));
    });

    private static IComparable SortKey(Organization org, string field) => field switch
    {
        "name" => org.Name,
        "updated_at" => org.UpdatedAtNs,
        _ => org.CreatedAtNs,
    };
}
