using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using System.Text;

namespace CfTasks;

/// <summary>
/// The few .NET Core APIs CfTasks uses that neither .NET Framework nor the Polyfill package provides, as C# 14
/// extension members with the same names and meaning, so the shared code compiles unchanged for Desktop. Each is the
/// documented behaviour of the .NET API it stands in for; prefer a package's coverage over growing this file.
/// Compiled into each Desktop (net472) assembly that needs it and, like Polyfill's types, [Embedded]: invisible to the
/// other assemblies, so InternalsVisibleTo never makes two copies collide.
/// </summary>
[Microsoft.CodeAnalysis.Embedded]
internal static class BclPolyfills
{
    private static readonly double MillisecondsPerTick = 1000.0 / Stopwatch.Frequency;

    extension(Environment)
    {
        /// <summary>Milliseconds of a monotonic clock (Environment.TickCount64, .NET Core 3.0+).</summary>
        public static long TickCount64 => (long)(Stopwatch.GetTimestamp() * MillisecondsPerTick);
    }

    extension(DateTime)
    {
        /// <summary>1970-01-01T00:00:00Z (DateTime.UnixEpoch, .NET Core 2.1+).</summary>
        public static DateTime UnixEpoch => new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    }

    extension(Array)
    {
        /// <summary>The largest array length the runtime allows (Array.MaxLength, .NET 6+).</summary>
        public static int MaxLength => 0x7FFFFFC7;
    }

    extension(ValueTask)
    {
        /// <summary>A completed ValueTask with a result (ValueTask.FromResult, .NET 5+).</summary>
        public static ValueTask<T> FromResult<T>(T result) => new(result);
    }

    extension(ExceptionDispatchInfo)
    {
        /// <summary>Rethrows with the original stack (ExceptionDispatchInfo.Throw(Exception), .NET Core 2.0+).</summary>
        [DoesNotReturn]
        public static void Throw(Exception source)
        {
            ExceptionDispatchInfo.Capture(source).Throw();
            throw source; // not reached: Throw above never returns
        }
    }

    extension(Task)
    {
        /// <summary>A delay measured by a TimeProvider (Task.Delay(TimeSpan, TimeProvider, CancellationToken), .NET 8+).</summary>
        public static Task Delay(TimeSpan delay, TimeProvider timeProvider, CancellationToken cancellationToken) =>
            timeProvider.Delay(delay, cancellationToken);
    }

    extension(TimeSpan)
    {
        /// <summary>TimeSpan × factor (.NET Core 2.0+).</summary>
        public static TimeSpan operator *(TimeSpan timeSpan, double factor) => TimeSpan.FromTicks((long)Math.Round(timeSpan.Ticks * factor));

        /// <summary>TimeSpan ÷ divisor (.NET Core 2.0+).</summary>
        public static TimeSpan operator /(TimeSpan timeSpan, double divisor) => TimeSpan.FromTicks((long)Math.Round(timeSpan.Ticks / divisor));
    }

    extension(string text)
    {
        /// <summary>Replaces every occurrence of <paramref name="oldValue"/> compared with <paramref name="comparison"/>
        /// (string.Replace(string, string, StringComparison), .NET Core 2.0+).</summary>
        public string Replace(string oldValue, string? newValue, StringComparison comparison)
        {
            if (oldValue.Length == 0) throw new ArgumentException("The string to replace must not be empty.", nameof(oldValue));
            var at = text.IndexOf(oldValue, comparison);
            if (at < 0) return text;
            var result = new StringBuilder(text.Length);
            var from = 0;
            for (; at >= 0; at = text.IndexOf(oldValue, from, comparison))
            {
                result.Append(text, from, at - from).Append(newValue);
                from = at + oldValue.Length;
            }
            return result.Append(text, from, text.Length - from).ToString();
        }
    }
}
