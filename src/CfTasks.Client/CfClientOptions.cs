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
    /// <summary>The clock used to decide when a token needs renewing (tests move it).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
