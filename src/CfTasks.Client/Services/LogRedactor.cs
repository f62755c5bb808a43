using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using CfTasks.Client.Http;

namespace CfTasks.Client.Services;

/// <summary>
/// Masks secrets in log lines (<c>Get-CfTaskLog -Redact</c>). The rules, documented in <c>docs/log-redaction.md</c>:
/// <list type="number">
/// <item><c>NAME=value</c> lines (what <c>printenv</c>/<c>env</c> print) whose NAME looks secret: the whole value is masked.</item>
/// <item><c>VCAP_SERVICES=…</c> (and any other JSON value): every value inside each <c>credentials</c> object is masked,
/// and so is every property whose key looks secret; the JSON structure and all other values are kept. A VCAP_SERVICES
/// value that is not readable JSON is masked whole.</item>
/// <item>Anywhere in a line: <c>key=value</c>, <c>key: value</c> and <c>"key": "value"</c> with a secret-looking key;
/// the password of <c>scheme://user:password@host</c> URLs; bearer tokens and JWTs.</item>
/// </list>
/// A name looks secret when one of its words (split at <c>_ - .</c> and camelCase) is KEY, PASS, PWD, AUTH or CREDS,
/// or it contains PASSWORD, PASSWD, SECRET, TOKEN, CREDENTIAL, PRIVATE, APIKEY or PASSPHRASE.
/// Whole words only for the short ones, so KEYBOARD, MONKEY, PASSENGER, AUTHOR are left alone.
/// Never secret: PWD/OLDPWD (the shell's working directory), CF_INSTANCE_* (the platform's addresses, ports, guid and
/// certificate/key file paths), and names ending in _FILE, _PATH, _DIR (they name where a secret is, not the secret).
/// </summary>
public static partial class LogRedactor
{
    /// <summary>What a masked value becomes.</summary>
    public const string Mask = "[REDACTED]";

    private static readonly string[] SecretFragments =
        ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "CREDENTIAL", "PRIVATE", "APIKEY", "PASSPHRASE"];

    private static readonly HashSet<string> SecretWords = new(StringComparer.OrdinalIgnoreCase) { "KEY", "PASS", "PWD", "AUTH", "CREDS" };

    private static readonly JsonWriterOptions CompactJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>A copy of the entry with its message redacted (the same entry when nothing was masked).</summary>
    public static CfLogEntry Redact(CfLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var message = RedactMessage(entry.Message);
        return ReferenceEquals(message, entry.Message) || message == entry.Message ? entry : entry with { Message = message };
    }

    /// <summary>A message with each of its lines redacted.</summary>
    public static string RedactMessage(string message)
    {
        if (string.IsNullOrEmpty(message)) return message;
        if (!message.Contains('\n')) return RedactLine(message);
        return string.Join('\n', message.Split('\n').Select(line => line.EndsWith('\r') ? RedactLine(line[..^1]) + "\r" : RedactLine(line)));
    }

    /// <summary>One line redacted by the rules above.</summary>
    public static string RedactLine(string line)
    {
        if (string.IsNullOrEmpty(line)) return line;
        var assignment = Assignment().Match(line);
        if (assignment.Success)
        {
            var prefix = line[..assignment.Groups["value"].Index];
            var name = assignment.Groups["name"].Value;
            var value = assignment.Groups["value"].Value;
            if (IsSecretName(name)) return prefix + (value.Length == 0 ? value : Mask);
            if (LooksLikeJson(value))
            {
                if (TryRedactJson(value, out var json)) return prefix + json;
                if (name.Equals("VCAP_SERVICES", StringComparison.OrdinalIgnoreCase)) return prefix + Mask;
            }
            else if (name.Equals("VCAP_SERVICES", StringComparison.OrdinalIgnoreCase) && value.Contains("credentials", StringComparison.OrdinalIgnoreCase))
            {
                return prefix + Mask;
            }
            return prefix + RedactText(value);
        }

        var trimmed = line.TrimStart();
        if (LooksLikeJson(trimmed) && TryRedactJson(trimmed, out var whole)) return line[..(line.Length - trimmed.Length)] + whole;
        return RedactText(line);
    }

    /// <summary>Whether an environment variable or JSON key names a secret (see the class summary for the rule).</summary>
    public static bool IsSecretName(string name)
    {
        if (string.IsNullOrEmpty(name)) return false;
        var upper = name.ToUpperInvariant();
        if (upper is "PWD" or "OLDPWD" || upper.StartsWith("CF_INSTANCE_", StringComparison.Ordinal)) return false;
        if (upper.EndsWith("_FILE", StringComparison.Ordinal) || upper.EndsWith("_PATH", StringComparison.Ordinal)
            || upper.EndsWith("_DIR", StringComparison.Ordinal)) return false;
        var compact = upper.Replace("_", "").Replace("-", "").Replace(".", "");
        foreach (var fragment in SecretFragments)
            if (compact.Contains(fragment, StringComparison.Ordinal)) return true;
        foreach (var word in Words(name))
            if (SecretWords.Contains(word)) return true;
        return false;
    }

    /// <summary>Free text: <c>key=value</c>/<c>key: value</c>/<c>"key": "value"</c> with secret keys, URL passwords, bearer tokens, JWTs.</summary>
    private static string RedactText(string text)
    {
        var result = KeyValue().Replace(text, m =>
            IsSecretName(m.Groups["key"].Value) && m.Groups["value"].Value is { Length: > 0 } value && value != "null"
                ? m.Value[..(m.Groups["value"].Index - m.Index)] + (value.StartsWith('"') ? "\"" + Mask + "\"" : Mask)
                : m.Value);
        result = UrlPassword().Replace(result, m => m.Groups["scheme"].Value + m.Groups["user"].Value + ":" + Mask + "@");
        return SecretRedactor.RedactText(result).Replace(SecretRedactor.Hidden, Mask, StringComparison.Ordinal);
    }

    private static bool LooksLikeJson(string value)
    {
        var t = value.AsSpan().Trim();
        return t.Length >= 2 && ((t[0] == '{' && t[^1] == '}') || (t[0] == '[' && t[^1] == ']'));
    }

    private static bool TryRedactJson(string value, out string redacted)
    {
        redacted = value;
        try
        {
            using var document = JsonDocument.Parse(value);
            var buffer = new MemoryStream();
            var masked = false;
            using (var writer = new Utf8JsonWriter(buffer, CompactJson))
                WriteJson(document.RootElement, writer, underCredentials: false, ref masked);
            // Nothing secret: keep the text exactly as it was (no re-spacing, no re-escaping).
            if (masked) redacted = Encoding.UTF8.GetString(buffer.ToArray());
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void WriteJson(JsonElement element, Utf8JsonWriter writer, bool underCredentials, ref bool masked)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    var secretName = IsSecretName(property.Name);
                    var inCredentials = underCredentials || property.Name.Equals("credentials", StringComparison.OrdinalIgnoreCase);
                    if (!inCredentials && secretName && property.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null))
                    {
                        writer.WriteStringValue(Mask);
                        masked = true;
                    }
                    else
                    {
                        WriteJson(property.Value, writer, inCredentials || secretName, ref masked);
                    }
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray()) WriteJson(item, writer, underCredentials, ref masked);
                writer.WriteEndArray();
                break;
            case JsonValueKind.Null:
                writer.WriteNullValue();
                break;
            case JsonValueKind.String when !underCredentials:
                var text = element.GetString() ?? "";
                var redactedText = RedactText(text);
                masked |= redactedText != text;
                writer.WriteStringValue(redactedText);
                break;
            default:
                if (underCredentials)
                {
                    writer.WriteStringValue(Mask);
                    masked = true;
                }
                else
                {
                    element.WriteTo(writer);
                }
                break;
        }
    }

    private static IEnumerable<string> Words(string name)
    {
        var word = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsLetterOrDigit(c))
            {
                if (word.Length > 0) yield return word.ToString();
                word.Clear();
                continue;
            }
            // camelCase boundary: a lower-case letter followed by an upper-case one (apiKey → api, Key)
            if (word.Length > 0 && char.IsUpper(c) && char.IsLower(name[i - 1]))
            {
                yield return word.ToString();
                word.Clear();
            }
            word.Append(c);
        }
        if (word.Length > 0) yield return word.ToString();
    }

    /// <summary><c>NAME=value</c> (optionally after <c>export </c>), the shape <c>printenv</c> prints.</summary>
    [GeneratedRegex(@"^\s*(?:export\s+)?(?<name>[A-Za-z_][A-Za-z0-9_.\-]*)=(?<value>.*)$", RegexOptions.Singleline)]
    private static partial Regex Assignment();

    /// <summary><c>key=value</c>, <c>key: value</c>, <c>"key": "value"</c> inside text.</summary>
    [GeneratedRegex("""(?<q>"?)(?<key>[A-Za-z_][A-Za-z0-9_.\-]*)\k<q>\s*[=:]\s*(?<value>"(?:[^"\\]|\\.)*"|'[^']*'|[^\s,;&}\]]+)""")]
    private static partial Regex KeyValue();

    /// <summary><c>scheme://user:password@</c>.</summary>
    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?<user>[^:/@\s]*):(?<password>[^@/\s]+)@")]
    private static partial Regex UrlPassword();
}
