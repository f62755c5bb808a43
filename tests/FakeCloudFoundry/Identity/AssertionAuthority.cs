using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FakeCloudFoundry.Identity;

/// <summary>Why an assertion was refused: UAA's error code and description (all answered with 401).</summary>
internal sealed record AssertionRejection(string Error, string Description);

/// <summary>
/// Mints and verifies JWT bearer assertions (RS256; one RSA key per issuer name, made on first use and shared by every
/// fake in the process). Verification follows UAA's order for the jwt-bearer grant: parse, issuer, signature,
/// audience, expiry, subject (cloudfoundry/uaa <c>ExternalOAuthAuthenticationManager</c>,
/// <c>JwtTokenSignedByThisUAA</c>, <c>JwtHelper</c>). Not thread-safe for the issuer list: the owning state serialises.
/// </summary>
internal sealed class AssertionAuthority
{
    private const string WrongKeyName = "\0a key no issuer has";
    private static readonly ConcurrentDictionary<string, RSA> Keys = new(StringComparer.Ordinal);
    private readonly List<TrustedIssuer> _trusted = new();

    public IReadOnlyList<TrustedIssuer> Trusted => _trusted;

    public void Trust(TrustedIssuer issuer)
    {
        _trusted.RemoveAll(t => t.Issuer == issuer.Issuer);
        _trusted.Add(issuer);
    }

    public void ResetTo(IEnumerable<TrustedIssuer> issuers)
    {
        _trusted.Clear();
        foreach (var issuer in issuers) Trust(issuer);
    }

    public string Mint(AssertionSpec spec, long nowUnixSeconds)
    {
        var issuer = spec.Issuer ?? _trusted.FirstOrDefault()?.Issuer ?? TrustedIssuer.StandardCi.Issuer;
        var audience = spec.Audience ?? [_trusted.Find(t => t.Issuer == issuer)?.Audience ?? TrustedIssuer.StandardCi.Audience];
        var payload = new MemoryStream();
        using (var w = new Utf8JsonWriter(payload))
        {
            w.WriteStartObject();
            w.WriteString("jti", Guid.NewGuid().ToString("N"));
            if (issuer.Length > 0) w.WriteString("iss", issuer);
            if (spec.Subject.Length > 0) w.WriteString("sub", spec.Subject);
            if (audience.Count == 1) w.WriteString("aud", audience[0]);
            else if (audience.Count > 1)
            {
                w.WriteStartArray("aud");
                foreach (var party in audience) w.WriteStringValue(party);
                w.WriteEndArray();
            }
            w.WriteNumber("iat", nowUnixSeconds);
            w.WriteNumber("nbf", nowUnixSeconds);
            w.WriteNumber("exp", nowUnixSeconds + spec.ExpiresInSeconds);
            w.WriteEndObject();
        }
        var header = $$"""{"alg":"RS256","kid":"{{KeyId(issuer)}}","typ":"JWT"}""";
        var signingInput = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString(payload.ToArray());
        var key = KeyFor(spec.BadSignature ? WrongKeyName : issuer);
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The trusted issuer and subject of a valid assertion, or why UAA would refuse it.</summary>
    public (TrustedIssuer? Issuer, string Subject, AssertionRejection? Rejection) Verify(string assertion, long nowNs)
    {
        if (assertion.Length == 0) return Reject("unauthorized", "Unable to decode expected id_token");
        var parts = assertion.Split('.');
        JsonElement claims;
        try
        {
            if (parts.Length != 3) return Reject("invalid_token", "Invalid token");
            using (var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])))
            {
                if (header.RootElement.ValueKind != JsonValueKind.Object) return Reject("invalid_token", "Invalid token");
            }
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            claims = payload.RootElement.Clone();
            if (claims.ValueKind != JsonValueKind.Object) return Reject("invalid_token", "Invalid token");
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return Reject("invalid_token", "Invalid token");
        }

        var iss = StringClaim(claims, "iss");
        if (string.IsNullOrEmpty(iss)) return Reject("unauthorized", "Issuer is missing in id_token");
        var issuer = _trusted.Find(t => t.Issuer == iss);
        if (issuer is null) return Reject("unauthorized", $"Unable to map issuer, {iss} , to a single registered provider");
        if (!SignatureIsValid(parts, iss)) return Reject("invalid_token", "Could not verify token signature.");
        if (!claims.TryGetProperty("aud", out var aud)) return Reject("invalid_token", "The token does not bear an AUD claim.");
        var audience = aud.ValueKind == JsonValueKind.Array ? aud.EnumerateArray().Select(a => a.ToString()).ToList() : [aud.ToString()];
        if (!audience.Contains(issuer.Audience)) return Reject("invalid_token", "Some parties were not in the token audience: " + issuer.Audience);
        if (!claims.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expiresAt) || nowNs > expiresAt * 1_000_000_000)
            return Reject("invalid_token", "Token does not bear a valid EXP claim.");
        var subject = StringClaim(claims, "sub");
        if (string.IsNullOrEmpty(subject)) return Reject("unauthorized", "Unable to map claim to a username");
        return (issuer, subject, null);
    }

    private static (TrustedIssuer?, string, AssertionRejection?) Reject(string error, string description) =>
        (null, "", new AssertionRejection(error, description));

    private static bool SignatureIsValid(string[] parts, string issuer)
    {
        try
        {
            return KeyFor(issuer).VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]),
                HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string? StringClaim(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static RSA KeyFor(string issuer) => Keys.GetOrAdd(issuer, _ => RSA.Create(2048));

    private static string KeyId(string issuer) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(issuer)))[..16];
}
