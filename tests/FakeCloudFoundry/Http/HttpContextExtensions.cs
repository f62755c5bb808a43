using FakeCloudFoundry.State;

namespace FakeCloudFoundry.Http;

internal static class HttpContextExtensions
{
    public static FakeState FakeState(this HttpContext context) => context.RequestServices.GetRequiredService<FakeState>();

    public static string RouteString(this HttpContext context, string name) => context.Request.RouteValues[name]?.ToString() ?? "";
}
