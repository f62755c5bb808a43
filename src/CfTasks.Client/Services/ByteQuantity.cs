using System.Globalization;
using System.Text.RegularExpressions;

namespace CfTasks.Client.Services;

/// <summary>
/// Parses the sizes the cf CLI accepts for <c>cf run-task -m/-k/-l</c> (<c>command/flag/megabytes.go</c>,
/// <c>bytes_with_unlimited.go</c>): an integer with a unit, case-insensitive, no decimals. CfTasks also accepts a
/// plain integer: megabytes for memory and disk, bytes per second for the log rate (the API's own units).
/// </summary>
public static partial class ByteQuantity
{
    /// <summary>What a memory or disk size may look like, for error messages.</summary>
    public const string MegabytesHelp =
        "Use an integer with a unit of M, MB, G, GB, T or TB (e.g. 64M, 512MB, 1G; 1G = 1024 MB), or a plain integer of megabytes, greater than 0.";

    /// <summary>What a log rate limit may look like, for error messages.</summary>
    public const string BytesPerSecondHelp =
        "Use an integer with a unit of B, K, KB, M, MB, G or GB (e.g. 512K, 1M), a plain integer of bytes per second, or -1 for unlimited.";

    private const long Kilo = 1024;
    private const long Mega = Kilo * 1024;
    private const long Giga = Mega * 1024;

    [GeneratedRegex(@"^\s*(?<number>\d+)\s*(?<unit>[A-Za-z]*)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Quantity();

    /// <summary>A memory or disk size in whole megabytes (&gt; 0, fits an int), or false with a reason.</summary>
    public static bool TryParseMegabytes(string? text, out int megabytes, out string error)
    {
        megabytes = 0;
        if (!TrySplit(text, out var number, out var unit))
        {
            error = $"'{text}' is not a size. {MegabytesHelp}";
            return false;
        }
        long perUnit = unit.ToUpperInvariant() switch
        {
            "" or "M" or "MB" => 1,
            "G" or "GB" => 1024,
            "T" or "TB" => 1024 * 1024,
            _ => 0,
        };
        if (perUnit == 0)
        {
            error = $"'{text}' has an unknown unit '{unit}'. {MegabytesHelp}";
            return false;
        }
        if (number == 0 || number > int.MaxValue / perUnit)
        {
            error = number == 0 ? $"'{text}' is zero; a size must be greater than 0. {MegabytesHelp}" : $"'{text}' is too large. {MegabytesHelp}";
            return false;
        }
        megabytes = (int)(number * perUnit);
        error = "";
        return true;
    }

    /// <summary>A memory or disk size in whole megabytes; <see cref="FormatException"/> naming what is accepted otherwise.</summary>
    public static int ParseMegabytes(string? text) =>
        TryParseMegabytes(text, out var megabytes, out var error) ? megabytes : throw new FormatException(error);

    /// <summary>A log rate limit in bytes per second (-1 = unlimited, 0 allowed), or false with a reason.</summary>
    public static bool TryParseBytesPerSecond(string? text, out long bytesPerSecond, out string error)
    {
        bytesPerSecond = 0;
        if (text?.Trim() == "-1")
        {
            bytesPerSecond = -1;
            error = "";
            return true;
        }
        if (!TrySplit(text, out var number, out var unit))
        {
            error = $"'{text}' is not a log rate. {BytesPerSecondHelp}";
            return false;
        }
        long perUnit = unit.ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "K" or "KB" => Kilo,
            "M" or "MB" => Mega,
            "G" or "GB" => Giga,
            _ => 0,
        };
        if (perUnit == 0)
        {
            error = $"'{text}' has an unknown unit '{unit}'. {BytesPerSecondHelp}";
            return false;
        }
        // CC stores the rate in a signed 32-bit column; anything larger is rejected there, so reject it here.
        if (number > int.MaxValue / perUnit)
        {
            error = $"'{text}' is too large (at most {int.MaxValue} bytes per second). {BytesPerSecondHelp}";
            return false;
        }
        bytesPerSecond = number * perUnit;
        error = "";
        return true;
    }

    /// <summary>A log rate limit in bytes per second; <see cref="FormatException"/> naming what is accepted otherwise.</summary>
    public static long ParseBytesPerSecond(string? text) =>
        TryParseBytesPerSecond(text, out var value, out var error) ? value : throw new FormatException(error);

    private static bool TrySplit(string? text, out long number, out string unit)
    {
        number = 0;
        unit = "";
        if (text is null) return false;
        var match = Quantity().Match(text);
        if (!match.Success) return false;
        if (!long.TryParse(match.Groups["number"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out number))
        {
            number = long.MaxValue; // more digits than a long holds: "too large"
        }
        unit = match.Groups["unit"].Value;
        return true;
    }
}
