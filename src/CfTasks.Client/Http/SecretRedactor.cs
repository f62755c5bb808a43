using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CfTasks.Client.Http;

/// <summary>
/// Removes secrets from anything the client may show: URLs, headers and bodies of HTTP traces, and exception text.
/// Rules (at least the cf CLI's trace rules): Authorization/Cookie headers hidden; every JSON key or form/query key
/// that looks like a token, password, secret, code or credentials has its value hidden; <c>user:pass@</c> stripped
/// from URLs; and any bearer/JWT-looking text masked.
/// </summary>
public static partial class SecretRedactor
{
    /// <summary>The text put in place of a secret (the cf CLI's own words).</summary>
    public const string Hidden = "[PRIVATE DATA HIDDEN]";

    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Amz-Security-Token",
    };

    [GeneratedRegex("token|password|passwd|secret|credential|passcode|^code$|private|api[_-]?key|assertion", RegexOptions.IgnoreCase)]
    private static partial Regex SecretKeyPattern();

    [GeneratedRegex(@"(?i)\bbearer\s+[A-Za-z0-9\-_\.=+/]+|\beyJ[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*")]
    private static partial Regex BearerPattern();

    /// <summary>Whether a JSON/form/query key names a secret.</summary>
    public static bool IsSecretKey(string key) => SecretKeyPattern().IsMatch(key);

    /// <summary>Whether a header's value must not be shown.</summary>
    public static bool IsSecretHeader(string name) => SecretHeaders.Contains(name);

    /// <summary>A URL without user info and with secret query values hidden.</summary>
    public static string RedactUrl(Uri? uri)
    {
        if (uri is null) return "";
        if (!uri.IsAbsoluteUri) return RedactQueryString(uri.OriginalString);
        var builder = new UriBuilder(uri) { UserName = "", Password = "" };
        var text = builder.Uri.GetLeftPart(UriPartial.Path);
        return uri.Query.Length > 1 ? text + "?" + RedactQueryString(uri.Query[1..]) : text;
    }

    /// <summary>A URL text (perhaps not well formed) without user info and secret query values.</summary>
    public static string RedactUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? RedactUrl(uri) : RedactQueryString(url);

    /// <summary><c>a=1&amp;password=x</c> → <c>a=1&amp;password=[PRIVATE DATA HIDDEN]</c>.</summary>
    public static string RedactQueryString(string query)
    {
        var parts = query.Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=');
            if (eq <= 0) continue;
            var key = Uri.UnescapeDataString(parts[i][..eq].Replace('+', ' '));
            if (IsSecretKey(key)) parts[i] = parts[i][..(eq + 1)] + Hidden;
        }
        return string.Join('&', parts);
    }

    /// <summary>A body for a trace: JSON with secret values hidden, a form with secret fields hidden, else masked text.</summary>
    public static string RedactBody(string body, string? mediaType)
    {
        if (string.IsNullOrEmpty(body)) return body;
        if (mediaType is not null && mediaType.Contains("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            return RedactQueryString(body);
        var trimmed = body.AsSpan().TrimStart();
        if (trimmed.Length > 0 && (trimmed[0] == '{' || trimmed[0] == '['))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                var output = new MemoryStream();
                using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false }))
                    WriteRedacted(document.RootElement, writer);
                return Encoding.UTF8.GetString(output.ToArray());
            }
            catch (JsonException)
            {
                // Not JSON after all: fall through to text masking.
            }
        }
        return RedactText(body);
    }

    /// <summary>Masks bearer tokens and JWTs in free text (exception messages, server text).</summary>
    public static string RedactText(string text) =>
        string.IsNullOrEmpty(text) ? text : BearerPattern().Replace(text, Hidden);

    private static void WriteRedacted(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    if (IsSecretKey(property.Name) && property.Value.ValueKind != JsonValueKind.Null)
                        writer.WriteStringValue(Hidden);
                    else
                        WriteRedacted(property.Value, writer);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray()) WriteRedacted(item, writer);
                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(RedactText(element.GetString() ?? ""));
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
