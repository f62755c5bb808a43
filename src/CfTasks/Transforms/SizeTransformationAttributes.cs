using System.Globalization;
using System.Management.Automation;
using CfTasks.Client.Services;

namespace CfTasks.Transforms;

/// <summary>
/// Turns a cf CLI size (<c>8M</c>, <c>64M</c>, <c>1G</c>, <c>512MB</c>, <c>1T</c>; case-insensitive) or a plain integer
/// of megabytes into whole megabytes for <c>-Memory</c> / <c>-Disk</c>. A number of a mebibyte or more is a number of
/// bytes: PowerShell reads <c>512MB</c> and <c>1GB</c> typed without quotes as 536870912 and 1073741824 before the
/// cmdlet sees them, and no task has a terabyte of memory or disk. A plain number between 64 GB and a mebibyte could be
/// either (PowerShell's <c>512KB</c> is 524288) and is refused. Anything else is a parameter-binding error that says
/// what is accepted.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class MegabytesTransformationAttribute : ArgumentTransformationAttribute
{
    /// <summary>The largest plain number read as megabytes (64 GB); above it, up to a mebibyte, a number could be either.</summary>
    private const long LargestPlainMegabytes = 64 * 1024;

    private const string BytesHelp = "PowerShell's own sizes (512MB, 1GB, 1.5GB without quotes) are numbers of bytes and are taken as such.";

    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is null) return null;
        if (SizeInput.AsInteger(value) is { } number)
        {
            if (number > LargestPlainMegabytes && number < SizeInput.BytesPerMegabyte)
                throw new ArgumentTransformationMetadataException(
                    $"{number.ToString(CultureInfo.InvariantCulture)} is ambiguous: as megabytes it is over 64 GB, as bytes (PowerShell's 512KB) under one megabyte. Give a unit, e.g. '512M' or '64G'. {ByteQuantity.MegabytesHelp}");
            if (number >= SizeInput.BytesPerMegabyte)
            {
                if (number % SizeInput.BytesPerMegabyte != 0)
                    throw new ArgumentTransformationMetadataException(
                        $"{number.ToString(CultureInfo.InvariantCulture)} is read as bytes (as PowerShell reads 512MB) but is not a whole number of megabytes. {ByteQuantity.MegabytesHelp} {BytesHelp}");
                number /= SizeInput.BytesPerMegabyte;
            }
            if (number is > 0 and <= int.MaxValue) return (int)number;
            throw new ArgumentTransformationMetadataException(
                $"{number.ToString(CultureInfo.InvariantCulture)} MB is not a size: it must be between 1 and {int.MaxValue}. {ByteQuantity.MegabytesHelp} {BytesHelp}");
        }
        if (value is not string text)
            throw new ArgumentTransformationMetadataException($"'{value}' is not a size. {ByteQuantity.MegabytesHelp} {BytesHelp}");
        if (ByteQuantity.TryParseMegabytes(text, out var megabytes, out var error)) return megabytes;
        throw new ArgumentTransformationMetadataException(error);
    }
}

/// <summary>
/// Turns a cf CLI log rate (<c>512K</c>, <c>1M</c>, <c>16KB</c>, <c>-1</c> for unlimited; units B, K, KB, M, MB, G, GB)
/// or a plain integer of bytes per second into bytes per second for <c>-LogRateLimit</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class BytesPerSecondTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is null) return null;
        var text = SizeInput.AsInteger(value) is { } number ? number.ToString(CultureInfo.InvariantCulture) : value as string;
        if (text is null)
            throw new ArgumentTransformationMetadataException($"'{value}' is not a log rate. {ByteQuantity.BytesPerSecondHelp}");
        if (ByteQuantity.TryParseBytesPerSecond(text, out var bytes, out var error)) return bytes;
        throw new ArgumentTransformationMetadataException(error);
    }
}

internal static class SizeInput
{
    /// <summary>Bytes in a megabyte as the cf CLI and PowerShell count them (<c>1MB</c> is 1048576).</summary>
    public const long BytesPerMegabyte = 1024 * 1024;

    /// <summary>
    /// A whole number given as a number (not text), including PowerShell's <c>1.5GB</c> (a double that is whole); null
    /// for anything else (1.5 included).
    /// </summary>
    public static long? AsInteger(object value) => value switch
    {
        int i => i,
        long l => l,
        short s => s,
        byte b => b,
        uint u => u,
        ushort us => us,
        ulong ul => ul <= long.MaxValue ? (long)ul : long.MaxValue,
        double d when Math.Floor(d) == d && Math.Abs(d) < 9e18 => (long)d,
        float f when Math.Floor(f) == f && Math.Abs(f) < 9e18 => (long)f,
        decimal m when decimal.Truncate(m) == m && Math.Abs(m) < 9e18m => (long)m,
        _ => null,
    };
}
