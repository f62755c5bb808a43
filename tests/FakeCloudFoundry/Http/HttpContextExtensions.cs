using FakeCloudFoundry.State;

namespace FakeCloudFoundry.Http;

internal static class HttpContextExtensions
{
    public static FakeState FakeState(this HttpContext context) => context.RequestServices.GetRequiredService<FakeState>();

    public static string RouteString(this HttpContext context, string name) => context.Request.RouteValues[name]?.ToString() ?? "";

    /// <summary>The base URL the absolute links of this answer start with (no trailing slash).</summary>
    public static string ApiUrl(this HttpContext context) => context.FakeState().ApiUrl;
}
