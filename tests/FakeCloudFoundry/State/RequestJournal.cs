namespace FakeCloudFoundry.State;

/// <summary>Recorded requests and concurrency statistics. Thread-safe.</summary>
internal sealed class RequestJournal
{
    private const int MaxRecorded = 200_000;
    private readonly object _gate = new();
    private readonly Queue<RecordedRequest> _requests = new();
    private long _total;
    private int _inFlight;
    private int _maxInFlight;

    public void Started()
    {
        Interlocked.Increment(ref _total);
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }
    }

    public void Ended(RecordedRequest request)
    {
        Interlocked.Decrement(ref _inFlight);
        lock (_gate)
        {
            if (_requests.Count >= MaxRecorded) _requests.Dequeue();
            _requests.Enqueue(request);
        }
    }

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_gate) return _requests.ToArray();
    }

    public void ClearRequests()
    {
        lock (_gate) _requests.Clear();
    }

    public ServerStats Stats() => new(Interlocked.Read(ref _total), Volatile.Read(ref _inFlight), Volatile.Read(ref _maxInFlight));

    /// <summary>Zeroes the total and the maximum (the maximum restarts at the current in-flight count).</summary>
    public void ResetStats()
    {
        Interlocked.Exchange(ref _total, 0);
        Interlocked.Exchange(ref _maxInFlight, Volatile.Read(ref _inFlight));
    }
}
