using FakeCloudFoundry.Identity;
using FakeCloudFoundry.State;

namespace FakeCloudFoundry.Http;

/// <summary>Cloud Controller authentication: <c>Authorization: bearer &lt;jwt&gt;</c> (any case of "bearer").</summary>
internal static class CcAuth
{
    /// <summary>The caller, or null after writing 401 (10002 without a bearer header, 1000 for a bad token).</summary>
    public static async Task<Principal?> RequireAsync(HttpContext context, FakeState state)
    {
        var token = BearerToken(context.Request);
        if (token is null)
        {
            await CcError.NotAuthenticated().WriteAsync(context);
            return null;
        }
        var principal = state.Authenticate(token);
        if (principal is null)
        {
            await CcError.InvalidAuthToken().WriteAsync(context);
            return null;
        }
        context.Response.Headers["X-USER-GUID"] = principal.Guid;
        return principal;
    }

    /// <summary>The token of a <c>bearer</c> Authorization header, or null.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.Length > 7 && header.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }
}
