using System.Net;
using System.Text;
using FakeCloudFoundry.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FakeCloudFoundry.Proxy;

/// <summary>Credentials the proxy demands (<c>Proxy-Authorization: Basic</c>).</summary>
public sealed record ProxyCredential(string User, string Password);

/// <summary>How the test proxy behaves.</summary>
public sealed record ForwardProxyOptions
{
    /// <summary>When set, requests without these credentials are answered 407 with <c>Proxy-Authenticate: Basic</c>.</summary>
    public ProxyCredential? RequireCredential { get; init; }

    /// <summary>Send every host to the fake, not only <c>*.test</c> and loopback names.</summary>
    public bool MapAllHosts { get; init; }
}

/// <summary>One request the proxy saw: never a token, the query's secret-looking values replaced.</summary>
public sealed record ProxiedRequest(string Method, string Url, bool ProxyAuthorization, int Status, DateTimeOffset At);

/// <summary>
/// A small HTTP forward proxy on 127.0.0.1 for tests of a client's proxy support. It takes absolute-form requests
/// (<c>GET http://api.cf.test:PORT/v3/apps HTTP/1.1</c>, any method) and forwards them to the fake, whatever the port
/// in the URL, keeping the Host header — so a fake started with <see cref="FakeServerOptions.LinksFromHostHeader"/>
/// answers with links under the name the client used. Host names it does not map get 502: nothing leaves the machine.
/// Plain HTTP only: <c>CONNECT</c> (HTTPS tunnels) is answered 501, as the fake has no TLS to tunnel to.
/// </summary>
public sealed class ForwardProxy : IAsyncDisposable
{
    private const int MaxRecorded = 10_000;
    private static readonly string[] HopByHop =
        ["Connection", "Keep-Alive", "Proxy-Authorization", "Proxy-Authenticate", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host", "Expect"];
    private static readonly string[] SecretQueryKeys = ["access_token", "refresh_token", "token", "password", "passcode", "assertion", "client_secret", "code"];

    private readonly WebApplication _app;
    private readonly Uri _target;
    private readonly HttpClient _upstream;
    private readonly object _gate = new();
    private readonly Queue<ProxiedRequest> _requests = new();
    private ForwardProxyOptions _options;

    private ForwardProxy(WebApplication app, Uri target, ForwardProxyOptions options, Uri url)
    {
        _app = app;
        _target = target;
        _options = options;
        Url = url;
        _upstream = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false, AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None,
        }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The proxy's URL, e.g. <c>http://127.0.0.1:41235</c> (no trailing slash in its string form).</summary>
    public Uri Url { get; }

    /// <param name="target">where mapped requests go: the fake's base URL</param>
    public static async Task<ForwardProxy> StartAsync(Uri target, ForwardProxyOptions? options = null, CancellationToken cancellationToken = default)
    {
        var app = LoopbackWebHost.CreateBuilder(port: 0).Build();
        ForwardProxy? proxy = null;
        app.Run(context => proxy!.HandleAsync(context));
        await app.StartAsync(cancellationToken);
        proxy = new ForwardProxy(app, target, options ?? new ForwardProxyOptions(), LoopbackWebHost.Address(app));
        return proxy;
    }

    /// <summary>Changes credentials or host mapping for the requests that follow.</summary>
    public void Configure(ForwardProxyOptions options)
    {
        lock (_gate) _options = options;
    }

    public IReadOnlyList<ProxiedRequest> Requests()
    {
        lock (_gate) return _requests.ToArray();
    }

    public void ClearRequests()
    {
        lock (_gate) _requests.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        ForwardProxyOptions options;
        lock (_gate) options = _options;
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        var authorization = request.Headers["Proxy-Authorization"].ToString();
        var status = 0;
        var recorded = false;
        // Recorded as soon as the status is known, before the body goes out: a client that has read the answer finds it here.
        void RecordNow(int known)
        {
            if (recorded) return;
            recorded = true;
            Record(new ProxiedRequest(request.Method, Redacted(rawTarget), authorization.Length > 0, known, DateTimeOffset.UtcNow));
        }
        try
        {
            if (HttpMethods.IsConnect(request.Method))
                status = await PlainAsync(context, RecordNow, 501, "the fake proxy forwards plain HTTP only: no CONNECT tunnels");
            else if (!rawTarget.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || !Uri.TryCreate(rawTarget, UriKind.Absolute, out var url))
                status = await PlainAsync(context, RecordNow, 400, "not a proxy request: send the absolute URL (http://host:port/path)");
            else if (options.RequireCredential is { } credential && authorization != BasicValue(credential))
            {
                context.Response.Headers["Proxy-Authenticate"] = "Basic realm=\"FakeCloudFoundry proxy\"";
                status = await PlainAsync(context, RecordNow, 407, "proxy authentication required");
            }
            else if (!options.MapAllHosts && !IsMapped(url))
                status = await PlainAsync(context, RecordNow, 502, $"the fake proxy does not know host '{url.Host}' (it maps *.test and loopback names to the fake)");
            else
                status = await ForwardAsync(context, url, rawTarget, RecordNow);
        }
        finally
        {
            RecordNow(status);
        }
    }

    private async Task<int> ForwardAsync(HttpContext context, Uri url, string rawTarget, Action<int> record)
    {
        var request = context.Request;
        var pathStart = rawTarget.IndexOf('/', url.Scheme.Length + 3);
        var pathAndQuery = pathStart < 0 ? "/" : rawTarget[pathStart..];
        using var upstream = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_target, pathAndQuery));
        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if (hasBody) upstream.Content = new StreamContent(request.Body);
        foreach (var (name, values) in request.Headers)
        {
            if (HopByHop.Contains(name, StringComparer.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
                upstream.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            else upstream.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        upstream.Headers.Host = request.Headers.Host.Count > 0 ? request.Headers.Host.ToString() : url.Authority;

        HttpResponseMessage response;
        try
        {
            response = await _upstream.SendAsync(upstream, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        }
        catch (HttpRequestException)
        {
            return await PlainAsync(context, record, 502, "the fake did not answer");
        }
        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(name, StringComparer.OrdinalIgnoreCase)) context.Response.Headers[name] = values.ToArray();
            }
            record((int)response.StatusCode);
            try
            {
                await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                context.Abort(); // the fake dropped the connection mid-answer: so does the proxy
            }
            return (int)response.StatusCode;
        }
    }

    private static bool IsMapped(Uri url) =>
        url.IsLoopback || url.Host.EndsWith(".test", StringComparison.OrdinalIgnoreCase) || url.Host.Equals("test", StringComparison.OrdinalIgnoreCase);

    private static string BasicValue(ProxyCredential credential) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credential.User + ":" + credential.Password));

    /// <summary>The URL with the values of secret-looking query keys replaced.</summary>
    private static string Redacted(string url)
    {
        var question = url.IndexOf('?');
        if (question < 0) return url;
        var pairs = url[(question + 1)..].Split('&').Select(pair =>
        {
            var equals = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            return equals >= 0 && SecretQueryKeys.Contains(key, StringComparer.OrdinalIgnoreCase) ? pair[..equals] + "=[REDACTED]" : pair;
        });
        return url[..question] + "?" + string.Join("&", pairs);
    }

    private void Record(ProxiedRequest request)
    {
        lock (_gate)
        {
            if (_requests.Count >= MaxRecorded) _requests.Dequeue();
            _requests.Enqueue(request);
        }
    }

    private static async Task<int> PlainAsync(HttpContext context, Action<int> record, int status, string message)
    {
        record(status);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message + "\n", context.RequestAborted);
        return status;
    }
}
