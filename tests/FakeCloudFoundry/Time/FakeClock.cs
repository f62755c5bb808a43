using System.Diagnostics;

namespace FakeCloudFoundry.Time;

/// <summary>
/// The fake's notion of "now": real time scaled by a speed factor plus manual jumps. Every timestamp the fake hands
/// out (tokens, tasks, log envelopes) comes from here, so tests can make minutes pass in milliseconds.
/// </summary>
public sealed class FakeClock
{
    private readonly object _gate = new();
    private long _anchorFakeNs;
    private long _anchorStopwatchTicks;
    private double _speed;

    public FakeClock(double speed) => Reset(speed);

    public double Speed { get { lock (_gate) return _speed; } }

    /// <summary>Nanoseconds since the Unix epoch in fake time.</summary>
    public long NowNs { get { lock (_gate) return NowNsLocked(); } }

    public DateTimeOffset Now => FromUnixNs(NowNs);

    public void Reset(double speed)
    {
        lock (_gate)
        {
            _anchorFakeNs = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
            _anchorStopwatchTicks = Stopwatch.GetTimestamp();
            _speed = speed;
        }
    }

    public void SetSpeed(double speed)
    {
        if (!(speed > 0)) throw new ArgumentOutOfRangeException(nameof(speed), "clock speed must be > 0");
        lock (_gate)
        {
            _anchorFakeNs = NowNsLocked();
            _anchorStopwatchTicks = Stopwatch.GetTimestamp();
            _speed = speed;
        }
    }

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "the clock only moves forward");
        lock (_gate) _anchorFakeNs += by.Ticks * 100;
    }

    public static DateTimeOffset FromUnixNs(long ns) => DateTimeOffset.UnixEpoch.AddTicks(ns / 100);

    public static long ToUnixNs(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks * 100;

    private long NowNsLocked()
    {
        var realElapsedNs = (Stopwatch.GetTimestamp() - _anchorStopwatchTicks) * (1e9 / Stopwatch.Frequency);
        return _anchorFakeNs + (long)(realElapsedNs * _speed);
    }
}
