using Refit;

namespace CfTasks.Client.Api;

/// <summary>UAA's token endpoint, on the host of the root document's <c>login</c> link (as the cf CLI does).</summary>
public interface IUaaApi
{
    /// <summary>
    /// <c>POST /oauth/token</c> with a form body; the response is read by TokenManager (UAA has its own error shape).
    /// <paramref name="loginHint"/> (<c>{"origin":"ldap"}</c>) goes in the query string, where the cf CLI puts it.
    /// </summary>
    [Post("/oauth/token")]
    [Headers("Accept: application/json")]
    Task<HttpResponseMessage> RequestToken(
        [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form,
        [Header("Authorization")] string? authorization,
        [Query, AliasAs("login_hint")] string? loginHint,
        CancellationToken cancellationToken);
}
