using System.Net;
using FakeCloudFoundry.Endpoints;
using FakeCloudFoundry.Faults;
using FakeCloudFoundry.State;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FakeCloudFoundry;

/// <summary>
/// A running fake Cloud Foundry (Cloud Controller V3 + UAA + log-cache + test controls) on 127.0.0.1.
/// <code>await using var fake = await FakeCloudFoundryServer.StartAsync();</code>
/// </summary>
public sealed class FakeCloudFoundryServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeCloudFoundryServer(WebApplication app, FakeState state, Uri baseUrl)
    {
        _app = app;
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
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FakeCloudFoundryServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        if (logWarningsToStderr) builder.Logging.AddSimpleConsole().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.AddServerHeader = false;
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        builder.Services.AddSingleton(state);

        var app = builder.Build();
        app.UseMiddleware<TrafficRecorder>();
        app.UseMiddleware<FaultInjector>();
        app.UseRouting();
        RootEndpoints.Map(app);
        OrganizationEndpoints.Map(app);
        SpaceEndpoints.Map(app);
        AppEndpoints.Map(app);
        ProcessEndpoints.Map(app);
        TaskQueryEndpoints.Map(app);
        TaskCommandEndpoints.Map(app);
        UaaEndpoints.Map(app);
        LogCacheEndpoints.Map(app);
        ControlEndpoints.Map(app);

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        state.SetApiUrl(address);
        return new FakeCloudFoundryServer(app, state, new BaseAddress(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        (State.Runner as IDisposable)?.Dispose(); // the emulator kills what still runs and removes its folders
    }

    /// <summary>A Uri whose string form is exactly the URL given (System.Uri would add a trailing '/').</summary>
    private sealed class BaseAddress(string url) : Uri(url)
    {
        public override string ToString() => OriginalString;
    }
}
