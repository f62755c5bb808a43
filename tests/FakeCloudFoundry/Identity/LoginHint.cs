using System.Net;
using System.Text.Json;

namespace FakeCloudFoundry.Identity;

/// <summary>
/// UAA's <c>login_hint</c> parameter, <c>{"origin":"ldap"}</c> URL-encoded (query string or form). UAA decodes it once
/// more and reads it as JSON with only an <c>origin</c> property; anything it cannot read that way counts as no hint at
/// all (<c>UaaLoginHint.parseRequestParameter</c> in cloudfoundry/uaa).
/// </summary>
internal static class LoginHint
{
    /// <summary>True when a readable hint was given; <paramref name="origin"/> is its origin (null when the JSON has none).</summary>
    public static bool TryRead(string? raw, out string? origin)
    {
        origin = null;
        if (string.IsNullOrEmpty(raw)) return false;
        try
        {
            using var json = JsonDocument.Parse(WebUtility.UrlDecode(raw));
            if (json.RootElement.ValueKind != JsonValueKind.Object) return false;
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (property.Name != "origin") return false;
                origin = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
