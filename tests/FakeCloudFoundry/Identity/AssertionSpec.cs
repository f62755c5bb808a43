namespace FakeCloudFoundry.Identity;

/// <summary>What to put in an assertion minted for a test (<c>POST /_fake/assertions</c>).</summary>
public sealed record AssertionSpec
{
    /// <summary>The <c>sub</c> claim: the user name in the issuer's origin. Empty leaves the claim out.</summary>
    public string Subject { get; init; } = "deploy-bot";

    /// <summary>The <c>iss</c> claim; default: the first trusted issuer. Empty leaves the claim out; an issuer the
    /// fake does not trust makes an assertion UAA cannot map.</summary>
    public string? Issuer { get; init; }

    /// <summary>Lifetime from now (fake clock); zero or negative mints an already expired assertion.</summary>
    public int ExpiresInSeconds { get; init; } = 300;

    /// <summary>The <c>aud</c> claim; default: the trusted issuer's audience. Empty leaves the claim out.</summary>
    public IReadOnlyList<string>? Audience { get; init; }

    /// <summary>Sign with a key the issuer does not have, so the signature cannot be verified.</summary>
    public bool BadSignature { get; init; }
}
