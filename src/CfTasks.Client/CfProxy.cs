using System.Net;
using CfTasks.Client.Errors;
using CfTasks.Client.Http;

namespace CfTasks.Client;

/// <summary>The proxies a session can go through (<see cref="CfClientOptions.Proxy"/>).</summary>
public static class CfProxy
{
    /// <summary>
    /// An explicit proxy, as Invoke-RestMethod's <c>Proxy</c>: every request goes through it, loopback included. Its
    /// credentials are sent when it asks for them (407): <paramref name="credential"/>, or the signed-in Windows user's
    /// with <paramref name="useDefaultCredentials"/> (not both), or a user and password written in the URL.
    /// </summary>
    public static IWebProxy Create(Uri proxy, NetworkCredential? credential = null, bool useDefaultCredentials = false)
    {
        if (credential is not null && useDefaultCredentials)
            throw CfErrors.InvalidProxy(SecretRedactor.RedactUrl(proxy), "give the proxy's credentials, or use the default credentials, not both");
        if (!proxy.IsAbsoluteUri) throw CfErrors.InvalidProxy(proxy.OriginalString, "it is not an absolute URL such as http://proxy.example.com:3128");
        var (address, fromUrl) = CfProxyUrl.Parse(proxy.OriginalString);
        return new ExplicitProxy(address, useDefaultCredentials ? CredentialCache.DefaultCredentials : credential ?? fromUrl);
    }

    /// <summary>
    /// Every request through one proxy. Not <see cref="WebProxy"/>: on .NET Framework (and Mono) it bypasses loopback
    /// whatever it is told, and a proxy given explicitly must carry loopback too, as it does on .NET.
    /// </summary>
    private sealed class ExplicitProxy(Uri address, ICredentials? credentials) : IWebProxy
    {
        public ICredentials? Credentials { get; set; } = credentials;
        public Uri GetProxy(Uri destination) => address;
        public bool IsBypassed(Uri host) => false;
    }

    /// <summary>
    /// The proxy of <c>HTTPS_PROXY</c>, <c>HTTP_PROXY</c> and <c>NO_PROXY</c> (or their lower-case names), read now as
    /// the cf CLI reads them, or null when neither proxy variable is set. Loopback is never proxied.
    /// <paramref name="environment"/> reads a variable (default: the process environment).
    /// </summary>
    public static IWebProxy? FromEnvironment(Func<string, string?>? environment = null) =>
        EnvironmentProxy.Read(environment ?? Environment.GetEnvironmentVariable);
}
