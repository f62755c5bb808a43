using System.Text.Json;
using FakeCloudFoundry.Faults;
using FakeCloudFoundry.Http;
using FakeCloudFoundry.Identity;
using FakeCloudFoundry.Json;
using FakeCloudFoundry.Model;
using FakeCloudFoundry.Proxy;
using FakeCloudFoundry.State;

namespace FakeCloudFoundry.Endpoints;

/// <summary>The <c>/_fake/...</c> test controls (camelCase JSON). Never faulted, delayed or counted.</summary>
internal static class ControlEndpoints
{
    private static readonly JsonSerializerOptions ControlJson = new(JsonSerializerDefaults.Web);

    public static void Map(IEndpointRouteBuilder routes)
    {
        var controls = routes.MapGroup("/_fake");
        controls.MapPost("/reset", context => Do(context, s => s.Reset()));
        controls.MapPost("/apps", context => WithBody<AppSpec>(context, (state, spec) => WriteApp(context, state, 201, state.CreateApp(spec))));
        controls.MapGet("/apps", context =>
        {
            var state = context.FakeState();
            return state.FindApp(context.Request.Query["space"].ToString(), context.Request.Query["name"].ToString()) is { } app
                ? WriteApp(context, state, 200, app)
                : ControlError(context, 404, "no such app");
        });
        controls.MapPost("/apps/{guid}/droplets", context => WithBody<DropletSpec>(context, (state, spec) =>
        {
            var droplet = state.AddDroplet(context.RouteString("guid"), spec);
            return WriteCcJson(context, state, 201, (w, api) => CcJson.WriteDroplet(w, droplet, api, censored: null));
        }));
        controls.MapPost("/apps/{guid}/tasks/bulk", context => WithBody<BulkTaskSpec>(context, (s, spec) =>
            Count(context, s.BulkTasks(context.RouteString("guid"), spec))));
        controls.MapPost("/bulk/spaces", context => WithBody<BulkSpacesSpec>(context, (s, spec) =>
            context.Response.WriteAsJsonAsync(s.BulkSpaces(spec), ControlJson)));
        controls.MapPost("/apps/{guid}/logs/bulk", context => WithBody<BulkLogSpec>(context, (s, spec) =>
            Count(context, s.BulkLogs(context.RouteString("guid"), spec))));
        controls.MapPost("/logs", context => WithBody<AddLogsRequest>(context, (s, request) =>
            Count(context, s.AddLogs(request.SourceId, request.Envelopes ?? []))));
        controls.MapPost("/faults", context => WithBody<FaultRule>(context, (s, rule) =>
        {
            s.AddFault(rule);
            return Ok(context);
        }));
        controls.MapDelete("/faults", context => Do(context, s => s.ClearFaults()));
        controls.MapPost("/latency", context => WithBody<LatencyRequest>(context, (s, request) =>
        {
            s.SetLatency(request.Ms);
            return Ok(context);
        }));
        controls.MapGet("/tasks/{guid}", context => context.FakeState().GetTaskView(context.RouteString("guid")) is { } task
            ? context.Response.WriteAsJsonAsync(task, ControlJson)
            : ControlError(context, 404, "no such task"));
        controls.MapGet("/apps/{guid}/tasks", context => context.Response.WriteAsJsonAsync(context.FakeState().TaskViewsOf(context.RouteString("guid")), ControlJson));
        controls.MapGet("/logs/{sourceId}", context => context.Response.WriteAsJsonAsync(context.FakeState().LogViewsOf(context.RouteString("sourceId")), ControlJson));
        controls.MapGet("/requests", context => context.Response.WriteAsJsonAsync(context.FakeState().Requests(), ControlJson));
        controls.MapDelete("/requests", context => Do(context, s => s.ClearRequests()));
        controls.MapGet("/stats", context => context.Response.WriteAsJsonAsync(context.FakeState().Stats(), ControlJson));
        controls.MapPost("/stats/reset", context => Do(context, s => s.ResetStats()));
        controls.MapGet("/clock", Clock);
        controls.MapPost("/clock", context => WithBody<ClockRequest>(context, (s, request) =>
        {
            if (request.Speed is { } speed) s.SetClockSpeed(speed);
            if (request.AdvanceSeconds is { } seconds) s.AdvanceClock(TimeSpan.FromSeconds(seconds));
            return Clock(context);
        }));
        controls.MapPost("/tokens/expire", context => Do(context, s => s.ExpireTokens()));
        controls.MapPost("/tokens/revoke-refresh", context => Do(context, s => s.RevokeRefreshTokens()));
        controls.MapPost("/tokens", context => WithBody<IssueTokenRequest>(context, (s, request) =>
            context.Response.WriteAsJsonAsync(new { accessToken = request.Client is { } client ? s.IssueClientAccessToken(client) : s.IssueAccessToken(request.User ?? "admin", request.Origin) }, ControlJson)));
        controls.MapPost("/uaa", context => WithBody<UaaRequest>(context, (s, request) =>
        {
            if (request.AccessTokenLifetimeSeconds is { } lifetime) s.SetAccessTokenLifetime(lifetime);
            if (request.AssertionRefreshTokens is { } issue) s.SetAssertionRefreshTokens(issue);
            return Ok(context);
        }));
        controls.MapPost("/passcodes", context => WithBody<IssueTokenRequest>(context, (s, request) =>
            context.Response.WriteAsJsonAsync(new { passcode = s.IssuePasscode(request.User ?? "developer", request.Origin ?? UserAccount.UaaOrigin) }, ControlJson)));
        controls.MapPost("/assertions", context => WithBody<MintAssertionRequest>(context, (s, request) =>
            context.Response.WriteAsJsonAsync(new { assertion = s.MintAssertion(request.ToSpec()) }, ControlJson)));
        controls.MapPost("/issuers", context => WithBody<TrustedIssuer>(context, (s, issuer) =>
        {
            s.TrustIssuer(issuer);
            return Ok(context);
        }));
        controls.MapPost("/proxy", context => WithBody<ProxyRequest>(context, async (_, request) =>
        {
            var proxy = await context.RequestServices.GetRequiredService<ProxyControl>().StartOrConfigureAsync(
                new ForwardProxyOptions { RequireCredential = request.RequireCredential, MapAllHosts = request.MapAllHosts });
            await context.Response.WriteAsJsonAsync(new { url = proxy.Url.ToString() }, ControlJson);
        }));
        controls.MapDelete("/proxy", async context =>
        {
            await context.RequestServices.GetRequiredService<ProxyControl>().StopAsync();
            await Ok(context);
        });
        controls.MapGet("/proxy/requests", context =>
            context.Response.WriteAsJsonAsync(context.RequestServices.GetRequiredService<ProxyControl>().Current?.Requests() ?? [], ControlJson));
        controls.MapDelete("/proxy/requests", context =>
        {
            context.RequestServices.GetRequiredService<ProxyControl>().Current?.ClearRequests();
            return Ok(context);
        });
        controls.Map("/{**rest}", context => ControlError(context, 404, "unknown control"));
    }

    /// <summary>An app's CC JSON (what <c>POST /_fake/apps</c> and <c>GET /_fake/apps?space=&amp;name=</c> answer).</summary>
    private static Task WriteApp(HttpContext context, FakeState state, int status, CfApp app) =>
        WriteCcJson(context, state, status, (w, api) => CcJson.WriteApp(w, app, api));

    /// <summary>A resource as CC would show it, written under the state lock (links to this API).</summary>
    private static Task WriteCcJson(HttpContext context, FakeState state, int status, Action<Utf8JsonWriter, string> write)
    {
        ReadOnlyMemory<byte> body;
        var api = context.ApiUrl();
        lock (state.Gate) body = JsonBody.Build(w => write(w, api));
        return JsonBody.WriteAsync(context, status, body);
    }

    private static Task Clock(HttpContext context)
    {
        var state = context.FakeState();
        return context.Response.WriteAsJsonAsync(new { now = state.Now, nowUnixNano = state.NowUnixNano, speed = state.Clock.Speed }, ControlJson);
    }

    private static Task Do(HttpContext context, Action<FakeState> action)
    {
        action(context.FakeState());
        return Ok(context);
    }

    private static async Task WithBody<T>(HttpContext context, Func<FakeState, T, Task> action)
    {
        T? body;
        try
        {
            body = await context.Request.ReadFromJsonAsync<T>(ControlJson, context.RequestAborted);
        }
        catch (JsonException e)
        {
            await ControlError(context, 400, "invalid JSON: " + e.Message);
            return;
        }
        if (body is null)
        {
            await ControlError(context, 400, "a JSON body is required");
            return;
        }
        try
        {
            await action(context.FakeState(), body);
        }
        catch (ArgumentException e)
        {
            await ControlError(context, 400, e.Message);
        }
    }

    private static Task Ok(HttpContext context)
    {
        context.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    private static Task Count(HttpContext context, int count) => context.Response.WriteAsJsonAsync(new { count }, ControlJson);

    private static Task ControlError(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = message }, ControlJson);
    }

    private sealed record AddLogsRequest(string SourceId, List<LogLineSpec>? Envelopes);

    private sealed record LatencyRequest(int Ms);

    private sealed record ClockRequest(double? Speed, double? AdvanceSeconds);

    private sealed record UaaRequest(int? AccessTokenLifetimeSeconds, bool? AssertionRefreshTokens);

    private sealed record ProxyRequest(ProxyCredential? RequireCredential, bool MapAllHosts);

    private sealed record IssueTokenRequest(string? User, string? Client, string? Origin);

    /// <summary><c>audience</c> may be one string or an array of strings.</summary>
    private sealed record MintAssertionRequest(string? Subject, string? Issuer, int? ExpiresInSeconds, JsonElement? Audience, bool BadSignature)
    {
        public AssertionSpec ToSpec()
        {
            var spec = new AssertionSpec { Issuer = Issuer, BadSignature = BadSignature };
            if (Subject is not null) spec = spec with { Subject = Subject };
            if (ExpiresInSeconds is { } seconds) spec = spec with { ExpiresInSeconds = seconds };
            return Audience switch
            {
                { ValueKind: JsonValueKind.String } one => spec with { Audience = [one.GetString()!] },
                { ValueKind: JsonValueKind.Array } many => spec with { Audience = many.EnumerateArray().Select(a => a.GetString() ?? "").ToList() },
                null or { ValueKind: JsonValueKind.Null } => spec,
                _ => throw new ArgumentException("audience must be a string or an array of strings"),
            };
        }
    }
}
