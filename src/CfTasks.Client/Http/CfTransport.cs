using System.Net;

namespace CfTasks.Client.Http;

/// <summary>
/// The one HTTP transport a session shares between its Cloud Controller, UAA and log-cache clients. Both builds give
/// the same behaviour: gzip/deflate, no redirects, no cookies, <see cref="MaxConnectionsPerServer"/> connections per
/// host, a <see cref="ConnectTimeout"/> on connecting, no <c>Expect: 100-continue</c>, and -SkipCertificateValidation
/// through the handler's own validation callback. Core uses SocketsHttpHandler; Desktop (.NET Framework) uses
/// HttpClientHandler plus <see cref="NetFrameworkTransport"/>, which supplies what that handler lacks.
/// </summary>
internal static class CfTransport
{
    /// <summary>At least Start-CfTask's -ThrottleLimit maximum (64), so a full batch never queues for a connection.</summary>
    internal const int MaxConnectionsPerServer = 64;

    /// <summary>How long connecting to a host may take before the attempt fails (and is retried when safe).</summary>
    internal static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

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
            ConnectTimeout = ConnectTimeout,
            MaxConnectionsPerServer = MaxConnectionsPerServer,
            AllowAutoRedirect = false,
            UseCookies = false,
        };
        if (options.SkipCertificateValidation)
            transport.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        return transport;
#endif
    }
}
