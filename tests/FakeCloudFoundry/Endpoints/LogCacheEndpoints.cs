using System.Globalization;
using FakeCloudFoundry.Http;
using FakeCloudFoundry.Json;
using FakeCloudFoundry.Model;

namespace FakeCloudFoundry.Endpoints;

/// <summary>
/// <c>GET {log-cache}/api/v1/info</c> and <c>GET {log-cache}/api/v1/read/{source-id}</c>. Every auth failure is a
/// 404 with an empty body. Only LOG envelopes exist. Envelopes stamped after "now" (future lines of a scripted
/// task) are never returned, so a follower sees lines arrive as the fake clock moves; late envelopes only once the clock
/// reaches their <see cref="LogEnvelope.VisibleAtNs"/>.
/// </summary>
internal static class LogCacheEndpoints
{
    public const int MaxLimit = 1000;
    private static readonly long StartedAtUnixSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/log-cache/api/v1/info", Info);
        routes.MapGet("/log-cache/api/v1/read/{sourceId}", Read);
    }

    private static Task Info(HttpContext context)
    {
        var uptime = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - StartedAtUnixSeconds;
        return JsonBody.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("version", "2.0.0");
            w.WriteString("vm_uptime", uptime.ToString(CultureInfo.InvariantCulture));
            w.WriteEndObject();
        });
    }

    private static async Task Read(HttpContext context)
    {
        var state = context.FakeState();
        var sourceId = context.RouteString("sourceId");
        var token = CcAuth.BearerToken(context.Request);
        var principal = token is null ? null : state.Authenticate(token);
        if (principal is null)
        {
            context.Response.StatusCode = 404;
            return;
        }

        var query = context.Request.Query;
        var now = state.Clock.NowNs;
        if (!TryLong(query["start_time"], long.MinValue, out var start) || !TryLong(query["end_time"], now + 1, out var end) ||
            !TryLong(query["limit"], 100, out var limit))
        {
            await GatewayError(context, "invalid argument");
            return;
        }
        if (limit > MaxLimit)
        {
            await GatewayError(context, $"limit ({limit}) must be {MaxLimit} or less");
            return;
        }
        if (limit < 0)
        {
            await GatewayError(context, $"limit ({limit}) must be greater than zero");
            return;
        }
        if (query.ContainsKey("end_time") && start > end)
        {
            await GatewayError(context, "end_time must be greater than or equal to start_time");
            return;
        }
        var types = query["envelope_types"];
        var wantsLogs = types.Count == 0 || types.Any(t => string.Equals(t, "LOG", StringComparison.OrdinalIgnoreCase) || string.Equals(t, "ANY", StringComparison.OrdinalIgnoreCase));
        var descending = string.Equals(query["descending"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
        if (limit == 0) limit = 100;

        List<LogEnvelope> batch;
        EnvelopeTags tags;
        lock (state.Gate)
        {
            var app = state.AppByGuid(sourceId);
            var allowed = principal.IsAdmin || (app is not null && state.CanRead(principal, app.Space));
            if (!allowed)
            {
                batch = null!;
                tags = EnvelopeTags.Unknown;
            }
            else
            {
                tags = app is null ? EnvelopeTags.Unknown : EnvelopeTags.For(app);
                batch = wantsLogs ? state.Logs.Read(sourceId, start, Math.Min(end, now + 1), (int)limit, descending, now) : [];
            }
        }
        if (batch is null)
        {
            context.Response.StatusCode = 404;
            return;
        }
        using var body = JsonBody.BuildPooled(w => LogCacheJson.WriteBatch(w, batch, tags), 1024 + batch.Count * 700);
        body.GetSpan(1)[0] = (byte)'\n'; // the gateway ends its body with a newline
        body.Advance(1);
        await JsonBody.WriteAsync(context, 200, body.WrittenMemory);
    }

    /// <summary>grpc-gateway's error shape for InvalidArgument (HTTP 400). The real status/body is unconfirmed.</summary>
    private static Task GatewayError(HttpContext context, string message) => JsonBody.WriteAsync(context, 400, w =>
    {
        w.WriteStartObject();
        w.WriteNumber("code", 3);
        w.WriteString("message", message);
        w.WriteEndObject();
    });

    private static bool TryLong(Microsoft.Extensions.Primitives.StringValues values, long fallback, out long value)
    {
        value = fallback;
        var text = values.ToString();
        return text.Length == 0 || long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}
