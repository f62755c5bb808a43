namespace FakeCloudFoundry.Model;

/// <summary>A droplet of an app (apps may have several; one of them may be the app's current droplet).</summary>
public sealed class Droplet
{
    public const string Staged = "STAGED";

    /// <summary>CC's droplet states.</summary>
    public static readonly string[] States = ["AWAITING_UPLOAD", "PROCESSING_UPLOAD", "STAGED", "COPYING", "FAILED", "EXPIRED", "STAGING"];

    public required string Guid { get; init; }
    public required CfApp App { get; init; }
    public string State { get; init; } = Staged;
    public required long CreatedAtNs { get; init; }
    public long UpdatedAtNs { get; set; }
    public required string PackageGuid { get; init; }
    /// <summary>SHA-256 of the droplet, lower-case hex.</summary>
    public required string Checksum { get; init; }
    public required IReadOnlyDictionary<string, string> ProcessTypes { get; init; }
    public long Ordinal { get; init; }
    public ResourceMetadata Metadata { get; } = new();
}
