using System.Globalization;

namespace CfTasks;

/// <summary>
/// The cf CLI's log line layout: <c>2026-11-29T12:00:00.00+0000 [APP/TASK/printenv/0] OUT PATH=/usr/bin</c>.
/// Time in UTC with two fractional digits truncated and a <c>+0000</c> offset; a message with embedded newlines becomes
/// several lines, each with the full header. The cf CLI indents each line by three spaces; CfTasks does not.
/// </summary>
public static class CfLogLineFormat
{
    /// <summary>The header time text of an instant, in UTC.</summary>
    public static string FormatTime(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var hundredths = utc.Millisecond / 10; // truncated, not rounded
        return utc.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture)
               + "." + hundredths.ToString("00", CultureInfo.InvariantCulture) + "+0000";
    }

    /// <summary>The formatted lines of one entry.</summary>
    public static IEnumerable<string> Format(CfLogEntry entry)
    {
        var header = $"{FormatTime(entry.Timestamp)} [{entry.SourceType}/{entry.InstanceId}] {entry.Stream} ";
        var message = entry.Message.TrimEnd('\r', '\n');
        foreach (var line in message.Split('\n'))
            yield return header + line.TrimEnd('\r');
    }
}
