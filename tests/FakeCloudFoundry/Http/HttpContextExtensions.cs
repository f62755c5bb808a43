using FakeCloudFoundry.State;

namespace FakeCloudFoundry.Http;

internal static class HttpContextExtensions
{
    public static FakeState FakeState(this HttpContext context) => context.RequestServices.GetRequiredService<FakeState>();

    public static string RouteString(this HttpContext context, string name) => context.Request.RouteValues[name]?.ToString() ?? "";

    /// <summary>
    /// The base URL the absolute links of this answer start with (no trailing slash): the fake's own URL, or with
    /// <see cref="FakeServerOptions.LinksFromHostHeader"/> <c>http://</c> plus the request's Host header, so a client
    /// that reached the fake through a proxy under another name keeps using that name.
    /// </summary>
    public static string ApiUrl(this HttpContext context)
    {
        var state = context.FakeState();
        var host = context.Request.Host;
        return state.LinksFromHostHeader && host.HasValue ? "http://" + host.Value : state.ApiUrl;
    }
}
