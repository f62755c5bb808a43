using System.Net;

namespace CfTasks.Client.Http;

/// <summary>
/// The one HTTP transport a session shares between its Cloud Controller, UAA and log-cache clients. Both builds give
/// the same behaviour: gzip/deflate, no redirects, no cookies, <see cref="MaxConnectionsPerServer"/> connections per
/// host, the options' connect timeout (CF_DIAL_TIMEOUT) on connecting, the options' proxy (else the cf CLI's proxy
/// variables, else .NET's default), no <c>Expect: 100-continue</c>, and -SkipCertificateValidation through the
/// handler's own validation callback. Core uses SocketsHttpHandler; Desktop (.NET Framework) uses
/// HttpClientHandler plus <see cref="NetFrameworkTransport"/>, which supplies what that handler lacks.
/// </summary>
internal static class CfTransport
{
    /// <summary>At least Start-CfTask's -ThrottleLimit maximum (64), so a full batch never queues for a connection.</summary>
    internal const int MaxConnectionsPerServer = 64;

    /// <summary>A new transport for one session; the session disposes it.</summary>
    public static HttpMessageHandler Create(CfClientOptions options)
    {
#if NETFRAMEWORK
        return NetFrameworkTransport.Create(options);
#else
        var transport = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.ConnectTimeout,
            MaxConnectionsPerServer = MaxConnectionsPerServer,
            AllowAutoRedirect = false,
            UseCookies = false,
        };
        if (options.SkipCertificateValidation)
            transport.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        if (Proxy(options) is { } proxy) transport.Proxy = proxy;
        return transport;
#endif
    }

    /// <summary>The proxy a session uses: -Proxy, else HTTPS_PROXY/HTTP_PROXY/NO_PROXY; null leaves .NET's default (on Windows, the system's settings).</summary>
    internal static IWebProxy? Proxy(CfClientOptions options) => options.Proxy ?? CfProxy.FromEnvironment();
}
