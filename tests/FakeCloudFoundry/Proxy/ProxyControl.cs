namespace FakeCloudFoundry.Proxy;

/// <summary>The one test proxy a fake server runs on request (<c>/_fake/proxy</c> controls, <c>StartProxyAsync</c>).</summary>
internal sealed class ProxyControl : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ForwardProxy? _proxy;

    /// <summary>The fake's base URL (set once the fake listens).</summary>
    public Uri Target { get; set; } = new("http://127.0.0.1");

    public ForwardProxy? Current => Volatile.Read(ref _proxy);

    public async Task<ForwardProxy> StartOrConfigureAsync(ForwardProxyOptions options)
    {
        await _gate.WaitAsync();
        try
        {
            if (_proxy is { } running)
            {
                running.Configure(options);
                return running;
            }
            var started = await ForwardProxy.StartAsync(Target, options);
            Volatile.Write(ref _proxy, started);
            return started;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StopAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (Interlocked.Exchange(ref _proxy, null) is { } running) await running.DisposeAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
