using System.Globalization;
using FakeCloudFoundry.Time;

namespace FakeCloudFoundry.Json;

internal static class CcTimestamps
{
    /// <summary>CC's timestamp format: UTC, whole seconds, <c>Z</c>.</summary>
    public static string Format(long unixNs) =>
        FakeClock.FromUnixNs(unixNs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
