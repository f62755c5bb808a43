using FakeCloudFoundry.Endpoints;
using FakeCloudFoundry.Faults;
using FakeCloudFoundry.Http;
using FakeCloudFoundry.Proxy;
using FakeCloudFoundry.State;

namespace FakeCloudFoundry;

/// <summary>
/// A running fake Cloud Foundry (Cloud Controller V3 + UAA + log-cache + test controls) on 127.0.0.1.
/// <code>await using var fake = await FakeCloudFoundryServer.StartAsync();</code>
/// </summary>
public sealed class FakeCloudFoundryServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ProxyControl _proxy;

    private FakeCloudFoundryServer(WebApplication app, FakeState state, Uri baseUrl, ProxyControl proxy)
    {
        _app = app;
        _proxy = proxy;
        State = state;
        BaseUrl = baseUrl;
    }

    /// <summary>The CC API URL, e.g. <c>http://127.0.0.1:41234</c> (its string form has no trailing slash).</summary>
    public Uri BaseUrl { get; }

    /// <summary>The fake's data and the in-process twins of the <c>/_fake</c> controls.</summary>
    public FakeState State { get; }

    /// <summary>Signalled when the host begins to stop (e.g. SIGTERM or Ctrl+C for the stand-alone process).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    public static Task<FakeCloudFoundryServer> StartAsync(FakeServerOptions? options = null, CancellationToken cancellationToken = default) =>
        StartAsync(options ?? new FakeServerOptions(), logWarningsToStderr: false, cancellationToken);

    internal static async Task<FakeCloudFoundryServer> StartAsync(FakeServerOptions options, bool logWarningsToStderr, CancellationToken cancellationToken)
    {
        var state = new FakeState(options);
        var proxy = new ProxyControl();
        var builder = LoopbackWebHost.CreateBuilder(options.Port);
        if (logWarningsToStderr) builder.Logging.AddSimpleConsole().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        builder.Services.AddSingleton(state);
        builder.Services.AddSingleton(proxy);

        var app = builder.Build();
        app.UseMiddleware<TrafficRecorder>();
        app.UseMiddleware<FaultInjector>();
        app.UseRouting();
        RootEndpoints.Map(app);
        OrganizationEndpoints.Map(app);
        SpaceEndpoints.Map(app);
        AppEndpoints.Map(app);
        ProcessEndpoints.Map(app);
        DropletEndpoints.Map(app);
        TaskQueryEndpoints.Map(app);
        TaskCommandEndpoints.Map(app);
        UaaEndpoints.Map(app);
        LogCacheEndpoints.Map(app);
        ControlEndpoints.Map(app);

        await app.StartAsync(cancellationToken);
        var baseUrl = LoopbackWebHost.Address(app);
        state.SetApiUrl(baseUrl.ToString());
        proxy.Target = baseUrl;
        return new FakeCloudFoundryServer(app, state, baseUrl, proxy);
    }

    /// <summary>
    /// Starts the fake's test proxy (or reconfigures the running one, keeping its URL): the in-process twin of
    /// <c>POST /_fake/proxy</c>. It lives until the server is disposed or <c>DELETE /_fake/proxy</c>.
    /// </summary>
    public Task<ForwardProxy> StartProxyAsync(ForwardProxyOptions? options = null) => _proxy.StartOrConfigureAsync(options ?? new ForwardProxyOptions());

    public async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        (State.Runner as IDisposable)?.Dispose(); // the emulator kills what still runs and removes its folders
    }
}
