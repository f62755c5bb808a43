namespace FakeCloudFoundry.Model;

/// <summary>One loggregator v2 LOG envelope as stored by the fake log-cache. Immutable.</summary>
public sealed class LogEnvelope
{
    public required long TimestampNs { get; init; }
    public required string SourceId { get; init; }
    public string InstanceId { get; init; } = "0";
    public required string SourceType { get; init; }
    /// <summary><c>OUT</c> or <c>ERR</c>.</summary>
    public required string Stream { get; init; }
    public required string Message { get; init; }
    /// <summary>
    /// When log-cache first lets readers see the envelope (fake ns). Before that, reads skip it even though its
    /// timestamp is in the past — as real log-cache sometimes receives an envelope seconds after newer ones. At or
    /// below <see cref="TimestampNs"/> (the default) it is visible from its timestamp on.
    /// </summary>
    public long VisibleAtNs { get; init; } = long.MinValue;

    /// <summary>The task whose run produced the line, so a cancel can withdraw lines not yet "written".</summary>
    public string? TaskGuid { get; init; }
    /// <summary>Insertion order; breaks timestamp ties so reads are stable.</summary>
    internal long Sequence { get; set; }
}
