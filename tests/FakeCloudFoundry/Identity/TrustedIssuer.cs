namespace FakeCloudFoundry.Identity;

/// <summary>
/// An OIDC identity provider the fake UAA trusts for JWT bearer assertions: assertions whose <c>iss</c> is
/// <see cref="Issuer"/> and whose <c>aud</c> contains <see cref="Audience"/> (UAA's <c>relyingPartyId</c>) sign in the
/// user named by their <c>sub</c> in identity origin <see cref="Origin"/>.
/// </summary>
public sealed record TrustedIssuer(string Issuer, string Origin, string Audience)
{
    /// <summary>The issuer the standard fake trusts (a CI system's OIDC token service).</summary>
    public static readonly TrustedIssuer StandardCi = new("https://oidc.ci.test", "ci-oidc", "cloudfoundry");
}
