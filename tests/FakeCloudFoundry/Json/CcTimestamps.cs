using System.Text.Json;
using FakeCloudFoundry.Time;

namespace FakeCloudFoundry.Json;

internal static class CcTimestamps
{
    /// <summary>CC's timestamp format: UTC, whole seconds, <c>Z</c> (<c>2016-05-04T17:00:41Z</c>).</summary>
    public static string Format(long unixNs)
    {
        Span<byte> utf8 = stackalloc byte[20];
        Format(unixNs, utf8);
        return System.Text.Encoding.ASCII.GetString(utf8);
    }

    /// <summary>Writes a CC timestamp property without allocating.</summary>
    public static void Write(Utf8JsonWriter writer, JsonEncodedText name, long unixNs)
    {
        Span<byte> utf8 = stackalloc byte[20];
        Format(unixNs, utf8);
        writer.WriteString(name, utf8);
    }

    private static void Format(long unixNs, Span<byte> utf8)
    {
        var time = FakeClock.FromUnixNs(unixNs).UtcDateTime;
        Digits(utf8[..4], time.Year);
        utf8[4] = (byte)'-';
        Digits(utf8.Slice(5, 2), time.Month);
        utf8[7] = (byte)'-';
        Digits(utf8.Slice(8, 2), time.Day);
        utf8[10] = (byte)'T';
        Digits(utf8.Slice(11, 2), time.Hour);
        utf8[13] = (byte)':';
        Digits(utf8.Slice(14, 2), time.Minute);
        utf8[16] = (byte)':';
        Digits(utf8.Slice(17, 2), time.Second);
        utf8[19] = (byte)'Z';
    }

    private static void Digits(Span<byte> target, int value)
    {
        for (var i = target.Length - 1; i >= 0; i--)
        {
            target[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
}
