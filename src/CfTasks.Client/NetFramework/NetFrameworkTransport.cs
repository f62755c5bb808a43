using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace CfTasks.Client.Http;

/// <summary>
/// Desktop (.NET Framework) transport: HttpClientHandler, plus what .NET Framework does differently from Core, handled
/// here rather than hoped for. See <see cref="CfTransport"/> for the behaviour both builds share.
/// <list type="bullet">
/// <item>TLS: powershell.exe targets an old framework version, so unless the machine sets <c>SystemDefault</c> its
/// process-wide protocol list may lack TLS 1.2. TLS 1.2 is added to that list; <c>SystemDefault</c> (the OS decides,
/// TLS 1.3 included) is left alone, and no protocol is ever removed.</item>
/// <item>Connections per host: .NET Framework's default is 2; the handler's limit is raised to
/// <see cref="CfTransport.MaxConnectionsPerServer"/>.</item>
/// <item><c>Expect: 100-continue</c>: on by default on .NET Framework (a round trip per POST); turned off per request.</item>
/// <item>Connect timeout: HttpClientHandler has none. Before the first request to a host that is reached directly (no
/// proxy), a TCP connect with the options' connect timeout checks the host answers; a silent one fails the
/// attempt as Core's ConnectTimeout does (HttpRequestException, retried when the request is safe). Refused connections
/// and unknown names are left to the handler so its error text is the usual one.</item>
/// </list>
/// </summary>
internal static class NetFrameworkTransport
{
    public static HttpMessageHandler Create(CfClientOptions options)
    {
        EnsureTls12();
        var handler = new HttpClientHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            MaxConnectionsPerServer = CfTransport.MaxConnectionsPerServer,
            AllowAutoRedirect = false,
            UseCookies = false,
        };
        if (options.SkipCertificateValidation)
            handler.ServerCertificateCustomValidationCallback = static (_, _, _, _) => true;
        var proxy = CfTransport.Proxy(options);
        if (proxy is not null) handler.Proxy = proxy;
        return new RequestDefaults(options.ConnectTimeout, proxy ?? WebRequest.DefaultWebProxy) { InnerHandler = handler };
    }

    /// <summary>Adds TLS 1.2 to the process's protocol list unless the OS decides (<c>SystemDefault</c>).</summary>
    internal static void EnsureTls12()
    {
        var protocols = ServicePointManager.SecurityProtocol;
        if (protocols != SecurityProtocolType.SystemDefault && (protocols & SecurityProtocolType.Tls12) == 0)
            ServicePointManager.SecurityProtocol = protocols | SecurityProtocolType.Tls12;
    }

    /// <summary>Per-request defaults and the first-connect check (see the class summary).</summary>
    internal sealed class RequestDefaults(TimeSpan connectTimeout, IWebProxy? proxy) : DelegatingHandler
    {
        private readonly ConcurrentDictionary<string, Lazy<Task>> _checkedHosts = new(StringComparer.OrdinalIgnoreCase);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.ExpectContinue = false;
            if (request.RequestUri is { IsAbsoluteUri: true } uri && IsDirect(uri))
                await CheckConnectsAsync(uri, cancellationToken).ConfigureAwait(false);
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            response.RequestMessage ??= request; // .NET Framework sets it; Mono (the Desktop test run) does not, and Refit needs it
            return response;
        }

        private bool IsDirect(Uri uri) => proxy is null || proxy.IsBypassed(uri);

        private async Task CheckConnectsAsync(Uri uri, CancellationToken cancellationToken)
        {
            var key = uri.Host + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var check = _checkedHosts.GetOrAdd(key, _ => new Lazy<Task>(() => ConnectWithinAsync(uri.DnsSafeHost, uri.Port, connectTimeout)));
            try
            {
                await check.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                _checkedHosts.TryRemove(key, out _); // the next attempt checks again
                throw;
            }
        }

        /// <summary>Completes when a TCP connection to the host succeeds or is refused (or the name does not resolve);
        /// throws HttpRequestException when no address answers within the timeout.</summary>
        internal static async Task ConnectWithinAsync(string host, int port, TimeSpan timeout)
        {
            IPAddress[] addresses;
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                return; // the handler reports the unknown name in its own words
            }
            var deadline = Task.Delay(timeout);
            foreach (var address in addresses)
            {
                using var client = new TcpClient(address.AddressFamily);
                var connect = client.ConnectAsync(address, port);
                if (await Task.WhenAny(connect, deadline).ConfigureAwait(false) == deadline)
                {
                    _ = connect.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default); // observed, never rethrown
                    throw new HttpRequestException(
                        $"Connecting to {host}:{port} timed out after {timeout.TotalSeconds:0} s.",
                        new TimeoutException($"No answer from {host}:{port} within {timeout.TotalSeconds:0} s."));
                }
                if (connect.Status == TaskStatus.RanToCompletion
                    || connect.Exception?.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
                    return; // it answers (or refuses at once): the handler takes it from here
                // any other quick failure (e.g. no route over this address family): try the next address
            }
        }
    }
}
