using System.Net;
using System.Net.Sockets;
using CfTasks.Client.Errors;

namespace CfTasks.Client.Http;

/// <summary>
/// The proxy the environment asks for, read as the cf CLI (Go's <c>http.ProxyFromEnvironment</c>) reads it:
/// <c>HTTP_PROXY</c> for http URLs and <c>HTTPS_PROXY</c> for https URLs (the upper-case name first, then the lower-case
/// one), a proxy URL without a scheme meaning http; <c>NO_PROXY</c> a comma-separated list of host names (matching
/// the name and its subdomains; a leading dot or <c>*.</c> only the subdomains), IP addresses, CIDR ranges, each with an
/// optional <c>:port</c>, or <c>*</c> for everything. Loopback (<c>localhost</c>, 127.0.0.0/8, ::1) is never proxied.
/// User and password in a proxy URL are sent to that proxy when it asks (407).
/// </summary>
internal sealed class EnvironmentProxy : IWebProxy
{
    private readonly IReadOnlyList<NoProxyRule> _noProxy;
    private readonly ProxyCredentials _credentials = new();
    private Uri? _http;
    private Uri? _https;

    private EnvironmentProxy(IReadOnlyList<NoProxyRule> noProxy) => _noProxy = noProxy;

    /// <summary>The proxy the variables describe, or null when neither HTTP_PROXY nor HTTPS_PROXY is set.</summary>
    public static EnvironmentProxy? Read(Func<string, string?> environment)
    {
        string? Variable(string name) =>
            environment(name) is { Length: > 0 } upper && !string.IsNullOrWhiteSpace(upper) ? upper.Trim()
            : environment(name.ToLowerInvariant()) is { Length: > 0 } lower && !string.IsNullOrWhiteSpace(lower) ? lower.Trim() : null;

        var httpText = Variable("HTTP_PROXY");
        var httpsText = Variable("HTTPS_PROXY");
        if (httpText is null && httpsText is null) return null;

        var noProxy = (Variable("NO_PROXY") ?? "").Split(',').Select(e => e.Trim()).Where(e => e.Length > 0).Select(NoProxyRule.Parse).ToList();
        var proxy = new EnvironmentProxy(noProxy);
        proxy._http = proxy.Add(httpText, "HTTP_PROXY");
        proxy._https = proxy.Add(httpsText, "HTTPS_PROXY");
        return proxy;
    }

    /// <summary>The user and password written in the proxy URLs, for the proxy that asks (not settable).</summary>
    public ICredentials? Credentials
    {
        get => _credentials;
        set => throw new NotSupportedException("The credentials of an environment proxy come from its URL.");
    }

    /// <inheritdoc />
    public Uri GetProxy(Uri destination) => ProxyFor(destination) is { } proxy && !IsBypassed(destination) ? proxy : destination;

    /// <inheritdoc />
    public bool IsBypassed(Uri host)
    {
        if (ProxyFor(host) is null) return true;
        if (host.IsLoopback) return true;
        var name = host.IdnHost.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
        var address = IPAddress.TryParse(name, out var ip) ? ip : null;
        return _noProxy.Any(rule => rule.Matches(name, address, host.Port));
    }

    private Uri? ProxyFor(Uri destination) =>
        destination.Scheme == Uri.UriSchemeHttps ? _https : destination.Scheme == Uri.UriSchemeHttp ? _http : null;

    /// <summary>Parses one proxy URL; its user and password (if any) become that proxy's credentials.</summary>
    private Uri? Add(string? text, string variable)
    {
        if (text is null) return null;
        var (proxy, credential) = CfProxyUrl.Parse(text, variable);
        if (credential is not null) _credentials.Add(proxy, credential);
        return proxy;
    }

    /// <summary>Credentials per proxy (HTTP_PROXY and HTTPS_PROXY may name different proxies with different users).</summary>
    private sealed class ProxyCredentials : ICredentials
    {
        private readonly Dictionary<string, NetworkCredential> _byProxy = new(StringComparer.OrdinalIgnoreCase);

        public void Add(Uri proxy, NetworkCredential credential) => _byProxy[proxy.GetLeftPart(UriPartial.Authority)] = credential;

        public NetworkCredential? GetCredential(Uri uri, string authType) =>
            _byProxy.TryGetValue(uri.GetLeftPart(UriPartial.Authority), out var credential) ? credential : null;
    }

    /// <summary>One NO_PROXY entry.</summary>
    private sealed record NoProxyRule(string? Domain, bool SubdomainsOnly, IPAddress? Network, int PrefixLength, int? Port, bool Everything)
    {
        public static NoProxyRule Parse(string entry)
        {
            if (entry == "*") return new(null, false, null, 0, null, true);
            var text = entry.ToLowerInvariant();

            var slash = text.IndexOf('/');
            if (slash > 0 && IPAddress.TryParse(text.Substring(0, slash), out var network) && int.TryParse(text.Substring(slash + 1), out var prefix))
                return new(null, false, network, prefix, null, false);

            // host:port, [v6]:port or [v6]; a bare v6 address has several colons and no port.
            int? port = null;
            var portColon = text.StartsWith("[", StringComparison.Ordinal) ? text.IndexOf("]:", StringComparison.Ordinal) + 1
                : text.IndexOf(':') is var first && first > 0 && first == text.LastIndexOf(':') ? first : -1;
            if (portColon > 0)
            {
                if (int.TryParse(text.Substring(portColon + 1), out var p)) port = p;
                text = text.Substring(0, portColon);
            }
            text = text.Trim('[', ']');
            if (IPAddress.TryParse(text, out var address))
                return new(null, false, address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128, port, false);

            var subdomainsOnly = text.StartsWith(".", StringComparison.Ordinal) || text.StartsWith("*.", StringComparison.Ordinal);
            return new(text.TrimStart('*').TrimStart('.').TrimEnd('.'), subdomainsOnly, null, 0, port, false);
        }

        public bool Matches(string host, IPAddress? address, int port)
        {
            if (Everything) return true;
            if (Port is { } wanted && wanted != port) return false;
            if (Network is not null) return address is not null && InNetwork(address);
            if (Domain is null || Domain.Length == 0) return false;
            return host.EndsWith("." + Domain, StringComparison.Ordinal) || !SubdomainsOnly && host == Domain;
        }

        private bool InNetwork(IPAddress address)
        {
            var want = Network!.GetAddressBytes();
            var have = address.GetAddressBytes();
            if (want.Length != have.Length) return false;
            for (int bit = 0, remaining = PrefixLength; remaining > 0; bit += 8, remaining -= 8)
            {
                var mask = remaining >= 8 ? 0xFF : (byte)(0xFF << (8 - remaining));
                if ((want[bit / 8] & mask) != (have[bit / 8] & mask)) return false;
            }
            return true;
        }
    }
}

/// <summary>A proxy URL as people write it: a scheme is optional (http), a user and password may be in it.</summary>
internal static class CfProxyUrl
{
    private static readonly string[] Schemes = ["http", "https", "socks4", "socks4a", "socks5"];

    /// <summary>The proxy's URL without user information, and the credentials that were in it.</summary>
    public static (Uri Proxy, NetworkCredential? Credential) Parse(string text, string? source = null)
    {
        var withScheme = text.Contains("://") ? text : "http://" + text;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw CfErrors.InvalidProxy(Named(SecretRedactor.RedactUrl(text), source), "it is not a URL such as http://proxy.example.com:3128");
        if (!Schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase))
            throw CfErrors.InvalidProxy(Named(SecretRedactor.RedactUrl(uri), source), $"its scheme is '{uri.Scheme}'; a proxy is reached over http (or https, socks4, socks5)");

        NetworkCredential? credential = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            credential = colon < 0
                ? new NetworkCredential(Uri.UnescapeDataString(uri.UserInfo), "")
                : new NetworkCredential(Uri.UnescapeDataString(uri.UserInfo.Substring(0, colon)), Uri.UnescapeDataString(uri.UserInfo.Substring(colon + 1)));
        }
        var address = new UriBuilder(uri.Scheme, uri.Host, uri.Port).Uri; // without the user information
        return (address, credential);
    }

    private static string Named(string text, string? source) => source is null ? text : $"{text} ({source})";
}
