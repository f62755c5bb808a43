using System.Net;

namespace CfTasks.Client;

/// <summary>Timeouts and retry settings of a session. Defaults suit real foundations; tests shorten them.</summary>
public sealed record CfClientOptions
{
    /// <summary>How long one HTTP attempt may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>How long one call may take, all retries included.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromMinutes(3);
    /// <summary>How many times a safe request is retried after a transient failure.</summary>
    public int MaxRetries { get; init; } = 6;
    /// <summary>The first retry's delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);
    /// <summary>The longest wait between retries (also caps a server's Retry-After).</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>Renew the access token when it has less than this left (the cf CLI uses one minute).</summary>
    public TimeSpan TokenRefreshMargin { get; init; } = TimeSpan.FromMinutes(1);
    /// <summary>Accept any server certificate. Off unless the user asks.</summary>
    public bool SkipCertificateValidation { get; init; }
    /// <summary>The OAuth client used for password and refresh grants (the cf CLI's).</summary>
    public string OAuthClientId { get; init; } = "cf";
    /// <summary>That client's secret (empty for the cf client).</summary>
    public string OAuthClientSecret { get; init; } = "";
    /// <summary>How long opening a TCP connection (name resolution included) may take; the cf CLI's CF_DIAL_TIMEOUT.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>
    /// The proxy every request goes through (<see cref="CfProxy.Create"/>). Null: the proxy environment variables as the
    /// cf CLI reads them (<see cref="CfProxy.FromEnvironment"/>) when any is set, else .NET's default proxy.
    /// </summary>
    public IWebProxy? Proxy { get; init; }
    /// <summary>
    /// Send credentials and tokens over plain http to hosts that are not loopback. Off: such a connection is refused
    /// before anything secret is sent (Invoke-RestMethod's <c>AllowUnencryptedAuthentication</c> makes the same choice).
    /// </summary>
    public bool AllowUnencryptedAuthentication { get; init; }
    /// <summary>The clock used to decide when a token needs renewing (tests move it).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
