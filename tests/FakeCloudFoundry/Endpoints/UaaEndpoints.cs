using System.Text;
using FakeCloudFoundry.Http;
using FakeCloudFoundry.Identity;
using FakeCloudFoundry.State;

namespace FakeCloudFoundry.Endpoints;

/// <summary>
/// <c>POST {login|uaa}/oauth/token</c>: password and refresh_token grants (client in a Basic header, or as form
/// fields), client_credentials (client as form fields or Basic). Error bodies as real UAA.
/// </summary>
internal static class UaaEndpoints
{
    private const string UaaContentType = "application/json;charset=UTF-8";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/login/oauth/token", Token);
        routes.MapPost("/uaa/oauth/token", Token);
    }

    private static async Task Token(HttpContext context)
    {
        var state = context.FakeState();
        IFormCollection form;
        try
        {
            form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : FormCollection.Empty;
        }
        catch (InvalidDataException)
        {
            form = FormCollection.Empty;
        }
        var (clientId, clientSecret) = ClientCredentials(context.Request, form);
        var grantType = form["grant_type"].ToString();
        context.Response.Headers.CacheControl = "no-store";

        TokenGrant? grant = null;
        (int Status, string Error, string Description, bool Challenge)? failure = null;
        lock (state.Gate)
        {
            var now = state.Clock.NowNs / 1_000_000_000;
            var client = clientId is null ? null : state.ClientById(clientId);
            if (client is null || client.Secret != clientSecret)
                failure = (401, "unauthorized", "Bad credentials", true);
            else if (grantType is not ("password" or "refresh_token" or "client_credentials"))
                failure = (400, "unsupported_grant_type", $"Unsupported grant type: {grantType}", false);
            else if (!client.Allows(grantType))
                failure = (401, "invalid_client", "Unauthorized grant type: " + grantType, false);
            else if (grantType == "client_credentials")
                grant = state.Tokens.IssueForClient(client, now);
            else if (grantType == "password")
            {
                var user = state.UserByName(form["username"].ToString());
                if (user is null || user.Password != form["password"].ToString())
                    failure = (401, "invalid_client", "Bad credentials", false);
                else grant = state.Tokens.IssueForUser(user, client.Id, "password", now);
            }
            else
            {
                var refresh = state.Tokens.FindRefreshToken(form["refresh_token"].ToString(), now);
                if (refresh is null || refresh.ClientId != client.Id)
                    failure = (401, "invalid_token", "The token expired, was revoked, or the token ID is incorrect.", false);
                else grant = state.Tokens.IssueForUser(refresh.User, client.Id, "refresh_token", now, refresh.Token);
            }
        }

        if (failure is { } f)
        {
            if (f.Challenge)
                context.Response.Headers.WWWAuthenticate = $"Basic realm=\"UAA/client\", error=\"{f.Error}\", error_description=\"{f.Description}\"";
            await JsonBody.WriteAsync(context, f.Status, JsonBody.Build(w =>
            {
                w.WriteStartObject();
                w.WriteString("error", f.Error);
                w.WriteString("error_description", f.Description);
                w.WriteEndObject();
            }), UaaContentType);
            return;
        }
        await JsonBody.WriteAsync(context, 200, JsonBody.Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("access_token", grant!.AccessToken);
            w.WriteString("token_type", "bearer");
            if (grant.RefreshToken is not null) w.WriteString("refresh_token", grant.RefreshToken);
            w.WriteNumber("expires_in", grant.ExpiresIn);
            w.WriteString("scope", grant.Scope);
            w.WriteString("jti", grant.Jti);
            w.WriteEndObject();
        }), UaaContentType);
    }

    /// <summary>Client id/secret from a Basic header, else from the form fields.</summary>
    private static (string? Id, string Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = decoded.IndexOf(':');
                return colon < 0 ? (decoded, "") : (Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..]));
            }
            catch (FormatException)
            {
                return (null, "");
            }
        }
        var id = form["client_id"].ToString();
        return (id.Length == 0 ? null : id, form["client_secret"].ToString());
    }
}
