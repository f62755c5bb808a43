using System.Text;
using FakeCloudFoundry.Http;
using FakeCloudFoundry.Identity;
using FakeCloudFoundry.State;

namespace FakeCloudFoundry.Endpoints;

/// <summary>
/// The fake UAA on both root links (<c>login</c> and <c>uaa</c>): <c>POST /oauth/token</c> (password with username and
/// password, with a one-time passcode, or with a login_hint origin; refresh_token; client_credentials; jwt-bearer),
/// <c>GET /login</c> and <c>GET /info</c> (JSON prompts for <c>Accept: application/json</c>, else a small page) and
/// <c>GET /passcode</c> (a page saying how to get a passcode from the fake). Error bodies as real UAA.
/// </summary>
internal static class UaaEndpoints
{
    private const string UaaContentType = "application/json;charset=UTF-8";

    public static void Map(IEndpointRouteBuilder routes)
    {
        foreach (var host in new[] { "/login", "/uaa" })
        {
            routes.MapPost(host + "/oauth/token", Token);
            routes.MapGet(host + "/login", LoginInfo);
            routes.MapGet(host + "/info", LoginInfo);
            routes.MapGet(host + "/passcode", PasscodePage);
        }
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
        var request = new UaaTokenRequest(clientId, clientSecret, form["grant_type"].ToString())
        {
            Username = Field(form, "username"), Password = Field(form, "password"), Passcode = Field(form, "passcode"),
            RefreshToken = Field(form, "refresh_token"), Assertion = Field(form, "assertion"),
            LoginHint = context.Request.Query.TryGetValue("login_hint", out var hint) ? hint.ToString() : Field(form, "login_hint"),
        };
        context.Response.Headers.CacheControl = "no-store";

        TokenGrant? grant;
        UaaFailure? failure;
        lock (state.Gate) (grant, failure) = state.GrantLocked(request);

        if (failure is not null)
        {
            if (failure.Challenge is not null) context.Response.Headers.WWWAuthenticate = failure.Challenge;
            await JsonBody.WriteAsync(context, failure.Status, JsonBody.Build(w =>
            {
                w.WriteStartObject();
                w.WriteString("error", failure.Error);
                w.WriteString("error_description", failure.Description);
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

    /// <summary>
    /// UAA's <c>LoginInfoEndpoint</c> JSON (what <c>cf login</c> reads its prompts from). The passcode prompt is only
    /// offered by a UAA with an external identity provider shown on its login page; the fake has one (the SSO page
    /// behind <c>/passcode</c>), so it is always there, with the login host's passcode URL in its text.
    /// </summary>
    private static Task LoginInfo(HttpContext context)
    {
        var api = context.ApiUrl();
        var login = api + "/login";
        if (!context.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase))
            return Html(context, "Cloud Foundry", $"<p>This is FakeCloudFoundry's sign-in page. Sign in with <code>cf login</code>, or get a one-time code at <a href=\"{login}/passcode\">{login}/passcode</a>.</p>");
        return JsonBody.WriteAsync(context, 200, JsonBody.Build(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("app");
            w.WriteString("version", "77.20.0");
            w.WriteEndObject();
            w.WriteString("commit_id", "fake");
            w.WriteString("timestamp", "2026-01-01T00:00:00+0000");
            w.WriteStartObject("idpDefinitions");
            w.WriteEndObject();
            w.WriteStartObject("links");
            w.WriteString("uaa", api + "/uaa");
            w.WriteString("passwd", "/forgot_password");
            w.WriteString("login", login);
            w.WriteString("register", "/create_account");
            w.WriteEndObject();
            w.WriteString("zone_name", "uaa");
            w.WriteString("entityID", "cloudfoundry-saml-login");
            w.WriteBoolean("showLoginLinks", true);
            w.WriteStartObject("prompts");
            WritePrompt(w, "username", "text", "Email");
            WritePrompt(w, "password", "password", "Password");
            WritePrompt(w, "passcode", "password", $"Temporary Authentication Code ( Get one at {login}/passcode )");
            w.WriteEndObject();
            w.WriteEndObject();
        }), UaaContentType);
    }

    /// <summary>What a browser finds at the passcode URL. Real UAA first signs the user in (SSO) and then shows the code;
    /// the fake has no browser sign-in, so the page says how tests get a code.</summary>
    private static Task PasscodePage(HttpContext context) => Html(context, "Temporary Authentication Code",
        $"<p>FakeCloudFoundry has no browser sign-in. Get a one-time code for a user with</p><pre>POST {context.ApiUrl()}/_fake/passcodes {{\"user\":\"developer\"}}</pre>" +
        "<p>and use it once, within 5 minutes: <code>cf login --sso-passcode CODE</code>.</p>");

    private static Task Html(HttpContext context, string title, string body)
    {
        var html = $"<!DOCTYPE html>\n<html><head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>\n";
        context.Response.ContentType = "text/html;charset=UTF-8";
        return context.Response.WriteAsync(html, context.RequestAborted);
    }

    private static void WritePrompt(System.Text.Json.Utf8JsonWriter w, string name, string type, string text)
    {
        w.WriteStartArray(name);
        w.WriteStringValue(type);
        w.WriteStringValue(text);
        w.WriteEndArray();
    }

    private static string? Field(IFormCollection form, string name) => form.TryGetValue(name, out var value) ? value.ToString() : null;

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
