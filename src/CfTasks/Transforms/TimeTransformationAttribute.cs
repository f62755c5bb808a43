using System.Globalization;
using System.Management.Automation;

namespace CfTasks.Transforms;

/// <summary>
/// Text given to a time parameter (<c>-CreatedAfter</c>, <c>-CreatedBefore</c>, <c>-Since</c>) as the task table and the
/// cf CLI show times, with a trailing <c>UTC</c> (<c>Mon, 30 Nov 2026 18:36:44 UTC</c>, <c>2026-11-30 18:36 UTC</c>): a
/// time in UTC, so a time copied from the table means what it showed. PowerShell itself cannot read that suffix. Every
/// other value goes on to PowerShell's own conversion: a <c>Get-Date</c> value is the local time it is, and text without
/// a zone is local time.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class TimeTransformationAttribute : ArgumentTransformationAttribute
{
    private const string UtcSuffix = " UTC";

    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var text = (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) as string;
        var trimmed = text?.Trim();
        if (trimmed is null || !trimmed.EndsWith(UtcSuffix, StringComparison.OrdinalIgnoreCase)) return inputData;
        var clock = trimmed.Substring(0, trimmed.Length - UtcSuffix.Length).TrimEnd();
        const DateTimeStyles utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (DateTime.TryParse(clock, CultureInfo.InvariantCulture, utc, out var time) || DateTime.TryParse(clock, CultureInfo.CurrentCulture, utc, out time))
            return new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc));
        throw new ArgumentTransformationMetadataException(
            $"'{text}' is not a time: give a date and time before 'UTC' (as the task table shows them, e.g. 'Mon, 30 Nov 2026 18:36:44 UTC'), a Get-Date value, or text such as '2026-11-30 18:36' (local time) or '2026-11-30T18:36Z'.");
    }
}
