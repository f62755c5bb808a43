using System.Text.Json;
using FakeCloudFoundry.Identity;
using FakeCloudFoundry.State;

namespace FakeCloudFoundry.Http;

/// <summary>The shape every authenticated CC handler shares: authenticate, (parse body), decide under the lock, write.</summary>
internal static class CcHandler
{
    public static async Task RunAsync(HttpContext context, Func<FakeState, Principal, CcResult> handle)
    {
        var state = context.FakeState();
        var principal = await CcAuth.RequireAsync(context, state);
        if (principal is null) return;
        CcResult result;
        lock (state.Gate) result = handle(state, principal);
        await WriteAsync(context, result);
    }

    /// <summary>Like <see cref="RunAsync"/> with a JSON object body (400 CF-MessageParseError when it is not JSON).
    /// An empty body counts as <c>{}</c>.</summary>
    public static async Task RunWithBodyAsync(HttpContext context, Func<FakeState, Principal, JsonElement, CcResult> handle)
    {
        var state = context.FakeState();
        var principal = await CcAuth.RequireAsync(context, state);
        if (principal is null) return;
        JsonElement body;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            body = buffer.Length == 0 ? JsonDocument.Parse("{}").RootElement : JsonDocument.Parse(buffer.ToArray()).RootElement;
        }
        catch (JsonException)
        {
            await CcError.MessageParseError().WriteAsync(context);
            return;
        }
        if (body.ValueKind != JsonValueKind.Object)
        {
            await CcError.MessageParseError().WriteAsync(context);
            return;
        }
        CcResult result;
        lock (state.Gate) result = handle(state, principal, body);
        await WriteAsync(context, result);
    }

    private static async Task WriteAsync(HttpContext context, CcResult result)
    {
        try
        {
            await JsonBody.WriteAsync(context, result.Status, result.Body);
        }
        finally
        {
            result.Lease?.Dispose();
        }
    }
}
