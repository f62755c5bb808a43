using System.Globalization;
using System.Text;
using System.Text.Json;
using FakeCloudFoundry.Model;

namespace FakeCloudFoundry.Json;

/// <summary>The tags a source's envelopes carry (from the app, or empty strings for unknown sources).</summary>
internal sealed record EnvelopeTags(string AppId, string AppName, string OrganizationId, string OrganizationName, string SpaceId, string SpaceName)
{
    public static readonly EnvelopeTags Unknown = new("", "", "", "", "", "");

    public static EnvelopeTags For(CfApp app) =>
        new(app.Guid, app.Name, app.Space.Organization.Guid, app.Space.Organization.Name, app.Space.Guid, app.Space.Name);
}

/// <summary>Writes log-cache read responses exactly like the gateway (proto names, every field, string int64, base64 bytes).</summary>
internal static class LogCacheJson
{
    public static void WriteBatch(Utf8JsonWriter w, IReadOnlyList<LogEnvelope> envelopes, EnvelopeTags tags)
    {
        w.WriteStartObject();
        w.WriteStartObject("envelopes");
        w.WriteStartArray("batch");
        byte[] payload = new byte[256];
        foreach (var e in envelopes)
        {
            w.WriteStartObject();
            w.WriteString("timestamp", e.TimestampNs.ToString(CultureInfo.InvariantCulture));
            w.WriteString("source_id", e.SourceId);
            w.WriteString("instance_id", e.InstanceId);
            w.WriteStartObject("deprecated_tags");
            w.WriteEndObject();
            w.WriteStartObject("tags");
            w.WriteString("app_id", tags.AppId);
            w.WriteString("app_name", tags.AppName);
            w.WriteString("instance_id", e.InstanceId);
            w.WriteString("organization_id", tags.OrganizationId);
            w.WriteString("organization_name", tags.OrganizationName);
            w.WriteString("source_id", e.SourceId);
            w.WriteString("source_type", e.SourceType);
            w.WriteString("space_id", tags.SpaceId);
            w.WriteString("space_name", tags.SpaceName);
            w.WriteEndObject();
            w.WriteStartObject("log");
            var length = Encoding.UTF8.GetMaxByteCount(e.Message.Length);
            if (payload.Length < length) payload = new byte[length];
            var written = Encoding.UTF8.GetBytes(e.Message, payload);
            w.WriteBase64String("payload", payload.AsSpan(0, written));
            w.WriteString("type", e.Stream);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
