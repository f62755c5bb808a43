using System.Text;
using System.Text.Json.Nodes;

namespace FakeCloudFoundry.Tests;

internal static class JwtClaims
{
    /// <summary>The payload of a JWT (not verified).</summary>
    public static JsonNode Of(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)))!;
    }
}
