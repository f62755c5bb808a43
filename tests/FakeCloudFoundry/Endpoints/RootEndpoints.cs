using FakeCloudFoundry.Http;
using FakeCloudFoundry.Json;

namespace FakeCloudFoundry.Endpoints;

/// <summary><c>GET /</c>, <c>GET /v3</c>, <c>GET /v3/info</c> (no authentication) and the CC 404 for unknown routes.</summary>
internal static class RootEndpoints
{
    public const string ApiVersion = "3.228.0";

    private static readonly string[] V3Collections =
    [
        "app_usage_events", "apps", "audit_events", "buildpacks", "builds", "deployments", "domains", "droplets",
        "environment_variable_groups", "feature_flags", "info", "isolation_segments", "organizations", "organization_quotas",
        "packages", "processes", "resource_matches", "roles", "routes", "security_groups", "service_brokers",
        "service_instances", "service_offerings", "service_plans", "space_quotas", "spaces", "stacks", "tasks", "users",
    ];

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", GlobalRoot);
        routes.MapGet("/v3", V3Root);
        routes.MapGet("/v3/info", Info);
        routes.MapFallback(context => CcError.UnknownRoute().WriteAsync(context));
    }

    /// <summary>Real CC omits <c>cloud_controller_v2</c> unless the operator still enables V2, so the fake does too.</summary>
    private static Task GlobalRoot(HttpContext context)
    {
        var api = context.ApiUrl();
        var host = new Uri(api).Host;
        return JsonBody.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("links");
            CcJson.WriteLink(w, "self", api);
            w.WriteStartObject("cloud_controller_v3");
            w.WriteString("href", api + "/v3");
            w.WriteStartObject("meta");
            w.WriteString("version", ApiVersion);
            w.WriteEndObject();
            w.WriteEndObject();
            CcJson.WriteLink(w, "network_policy_v0", api + "/networking/v0/external");
            CcJson.WriteLink(w, "network_policy_v1", api + "/networking/v1/external");
            CcJson.WriteLink(w, "login", api + "/login");
            CcJson.WriteLink(w, "uaa", api + "/uaa");
            w.WriteNull("credhub");
            CcJson.WriteLink(w, "routing", api + "/routing");
            CcJson.WriteLink(w, "logging", api.Replace("http", "ws", StringComparison.Ordinal) + "/doppler");
            CcJson.WriteLink(w, "log_cache", api + "/log-cache");
            CcJson.WriteLink(w, "log_stream", api + "/log-stream");
            w.WriteStartObject("app_ssh");
            w.WriteString("href", host + ":2222");
            w.WriteStartObject("meta");
            w.WriteString("host_key_fingerprint", "Y411oivJwZCUQnXHq83mdM5SKCK4ftyoSXI31RRe4Zs");
            w.WriteString("oauth_client", "ssh-proxy");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static Task V3Root(HttpContext context)
    {
        var api = context.ApiUrl();
        return JsonBody.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("links");
            CcJson.WriteLink(w, "self", api + "/v3");
            foreach (var collection in V3Collections) CcJson.WriteLink(w, collection, $"{api}/v3/{collection}");
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static Task Info(HttpContext context)
    {
        var api = context.ApiUrl();
        return JsonBody.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("build", "fake-cloud-foundry");
            w.WriteStartObject("cli_version");
            w.WriteString("minimum", "8.0.0");
            w.WriteString("recommended", "latest");
            w.WriteEndObject();
            w.WriteStartObject("custom");
            w.WriteEndObject();
            w.WriteString("description", "FakeCloudFoundry: a test stand-in for Cloud Foundry");
            w.WriteString("name", "FakeCloudFoundry");
            w.WriteNumber("version", 0);
            w.WriteString("osbapi_version", "2.15");
            w.WriteStartObject("rate_limits");
            w.WriteBoolean("enabled", false);
            w.WriteNumber("general_limit", 2000);
            w.WriteNumber("reset_interval_in_minutes", 60);
            w.WriteEndObject();
            w.WriteStartObject("links");
            CcJson.WriteLink(w, "self", api + "/v3/info");
            CcJson.WriteLink(w, "support", "https://support.example.org");
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }
}
