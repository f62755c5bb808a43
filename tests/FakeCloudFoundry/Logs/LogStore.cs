using FakeCloudFoundry.Model;

namespace FakeCloudFoundry.Logs;

/// <summary>
/// The fake log-cache: per source id, envelopes sorted by (timestamp, insertion order). Appending in time order
/// is O(1); reads binary-search the time window. Not thread-safe: the owning state serialises access.
/// No eviction (real log-cache keeps about 100,000 envelopes per source).
/// </summary>
internal sealed class LogStore
{
    private static readonly Comparer<LogEnvelope> ByTime = Comparer<LogEnvelope>.Create((a, b) =>
    {
        var byTimestamp = a.TimestampNs.CompareTo(b.TimestampNs);
        return byTimestamp != 0 ? byTimestamp : a.Sequence.CompareTo(b.Sequence);
    });

    private readonly Dictionary<string, List<LogEnvelope>> _bySource = new(StringComparer.Ordinal);
    private long _nextSequence;

    public int Count(string sourceId) => _bySource.TryGetValue(sourceId, out var list) ? list.Count : 0;

    public void Add(LogEnvelope envelope)
    {
        envelope.Sequence = _nextSequence++;
        var list = ListFor(envelope.SourceId);
        if (list.Count == 0 || list[^1].TimestampNs <= envelope.TimestampNs)
        {
            list.Add(envelope);
            return;
        }
        var index = list.BinarySearch(envelope, ByTime);
        list.Insert(index < 0 ? ~index : index + 1, envelope);
    }

    /// <summary>Adds many envelopes of one source at once (sorting once instead of inserting one by one).</summary>
    public void AddRange(string sourceId, IReadOnlyList<LogEnvelope> envelopes)
    {
        var list = ListFor(sourceId);
        var sorted = true;
        var previous = list.Count == 0 ? long.MinValue : list[^1].TimestampNs;
        foreach (var envelope in envelopes)
        {
            envelope.Sequence = _nextSequence++;
            sorted &= envelope.TimestampNs >= previous;
            previous = envelope.TimestampNs;
        }
        list.AddRange(envelopes);
        if (!sorted) list.Sort(ByTime);
    }

    /// <summary>Withdraws a task's lines stamped after <paramref name="afterNs"/> (used when a task is cancelled).</summary>
    public void RemoveTaskLinesAfter(string sourceId, string taskGuid, long afterNs)
    {
        if (!_bySource.TryGetValue(sourceId, out var list)) return;
        var first = LowerBound(list, afterNs + 1);
        if (first == list.Count) return;
        var kept = 0;
        for (var i = first; i < list.Count; i++)
        {
            if (list[i].TaskGuid != taskGuid) list[first + kept++] = list[i];
        }
        list.RemoveRange(first + kept, list.Count - first - kept);
    }

    /// <summary>
    /// Envelopes with start ≤ timestamp &lt; end that are visible at <paramref name="nowNs"/> (late ones are skipped
    /// until then), at most <paramref name="limit"/>, oldest or newest first.
    /// </summary>
    public List<LogEnvelope> Read(string sourceId, long startNs, long endNs, int limit, bool descending, long nowNs)
    {
        var result = new List<LogEnvelope>(Math.Min(limit, 1024));
        if (!_bySource.TryGetValue(sourceId, out var list) || startNs >= endNs) return result;
        if (descending)
        {
            for (var i = LowerBound(list, endNs) - 1; i >= 0 && result.Count < limit && list[i].TimestampNs >= startNs; i--)
            {
                if (list[i].VisibleAtNs <= nowNs) result.Add(list[i]);
            }
        }
        else
        {
            for (var i = LowerBound(list, startNs); i < list.Count && result.Count < limit && list[i].TimestampNs < endNs; i++)
            {
                if (list[i].VisibleAtNs <= nowNs) result.Add(list[i]);
            }
        }
        return result;
    }

    public void Clear()
    {
        _bySource.Clear();
        _nextSequence = 0;
    }

    private List<LogEnvelope> ListFor(string sourceId)
    {
        if (!_bySource.TryGetValue(sourceId, out var list)) _bySource[sourceId] = list = new List<LogEnvelope>();
        return list;
    }

    /// <summary>Index of the first envelope with timestamp ≥ <paramref name="timestampNs"/>.</summary>
    private static int LowerBound(List<LogEnvelope> list, long timestampNs)
    {
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (list[mid].TimestampNs < timestampNs) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
