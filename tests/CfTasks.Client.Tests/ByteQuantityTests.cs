using CfTasks.Client.Services;

namespace CfTasks.Client.Tests;

/// <summary>Sizes as users type them for -Memory, -Disk and -LogRateLimit (cf CLI units; 1G = 1024 MB).</summary>
public sealed class ByteQuantityTests
{
    [Theory]
    [InlineData("8M", 8)]
    [InlineData("64M", 64)]
    [InlineData("512MB", 512)]
    [InlineData("512mb", 512)]
    [InlineData("1G", 1024)]
    [InlineData("1g", 1024)]
    [InlineData("2GB", 2048)]
    [InlineData("1T", 1048576)]
    [InlineData("1TB", 1048576)]
    [InlineData("256", 256)]
    [InlineData(" 128M ", 128)]
    [InlineData("2047G", 2047 * 1024)]
    public void Megabyte_sizes_in_cf_cli_units_or_plain_megabytes_are_accepted(string text, int expected)
    {
        Assert.Equal(expected, ByteQuantity.ParseMegabytes(text));
    }

    [Theory]
    [InlineData("8X")]
    [InlineData("-1")]
    [InlineData("1.5G")]
    [InlineData("0")]
    [InlineData("0M")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("M")]
    [InlineData("99999999999999999999999M")]
    [InlineData("3000000000")]
    [InlineData("3000T")] // 3,145,728,000 MB: more than an int holds
    [InlineData("512K")]
    [InlineData("1 G B")]
    public void Anything_else_is_rejected_with_a_message_saying_what_is_accepted(string text)
    {
        var error = Assert.Throws<FormatException>(() => ByteQuantity.ParseMegabytes(text));
        Assert.Contains("M, MB, G, GB", error.Message, StringComparison.Ordinal);
        Assert.Contains("plain integer of megabytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_is_not_a_size()
    {
        Assert.False(ByteQuantity.TryParseMegabytes(null, out _, out var error));
        Assert.Contains("is not a size", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1", -1L)]
    [InlineData("0", 0L)]
    [InlineData("100B", 100L)]
    [InlineData("512K", 512L * 1024)]
    [InlineData("16KB", 16L * 1024)]
    [InlineData("1M", 1024L * 1024)]
    [InlineData("1mb", 1024L * 1024)]
    [InlineData("1G", 1024L * 1024 * 1024)]
    [InlineData("1GB", 1024L * 1024 * 1024)]
    [InlineData("4096", 4096L)]
    public void Log_rates_take_byte_units_or_minus_one_for_unlimited(string text, long expected)
    {
        Assert.Equal(expected, ByteQuantity.ParseBytesPerSecond(text));
    }

    [Theory]
    [InlineData("-2")]
    [InlineData("1.5M")]
    [InlineData("8X")]
    [InlineData("1T")]
    [InlineData("2G")]
    [InlineData("")]
    [InlineData("unlimited")]
    public void Other_log_rates_are_rejected_with_a_message_saying_what_is_accepted(string text)
    {
        var error = Assert.Throws<FormatException>(() => ByteQuantity.ParseBytesPerSecond(text));
        Assert.Contains("-1 for unlimited", error.Message, StringComparison.Ordinal);
    }
}
