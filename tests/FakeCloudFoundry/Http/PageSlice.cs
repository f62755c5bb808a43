namespace FakeCloudFoundry.Http;

/// <summary>One page of a filtered sequence plus the total count, in a single pass for the default ordering.</summary>
internal static class PageSlice
{
    public static List<T> Take<T>(IEnumerable<T> matches, ListQuery query, out int total)
    {
        var skip = (long)(query.Page - 1) * query.PerPage;
        var page = new List<T>(Math.Min(query.PerPage, 1024));
        total = 0;
        foreach (var item in matches)
        {
            if (total >= skip && page.Count < query.PerPage) page.Add(item);
            total++;
        }
        return page;
    }

    /// <summary>
    /// Applies <c>order_by</c> when the query has one. Like CC's SequelPaginator, ties are broken by guid in the same
    /// direction (CC appends <c>ORDER BY guid</c>), so paging through equal keys is stable but not creation order.
    /// </summary>
    public static IEnumerable<T> Ordered<T>(IEnumerable<T> matches, ListQuery query, Func<T, string, IComparable> key, Func<T, string> guid)
    {
        if (query.OrderByField is not { } field) return matches;
        return query.OrderDescending
            ? matches.OrderByDescending(item => key(item, field)).ThenByDescending(guid, StringComparer.Ordinal)
            : matches.OrderBy(item => key(item, field)).ThenBy(guid, StringComparer.Ordinal);
    }

    /// <summary>
    /// The same on a numeric key (times as Unix ns) without boxing a key per item: a 100,000-task list is sorted for
    /// every page it is read in. Items whose keys already rise strictly in creation order (tasks created one after the
    /// other) have no ties and need no sort at all: they are walked forwards or backwards.
    /// </summary>
    public static IEnumerable<T> Ordered<T>(IEnumerable<T> matches, ListQuery query, Func<T, string, long> key, Func<T, string> guid)
    {
        if (query.OrderByField is not { } field) return matches;
        var items = matches.ToArray();
        var keys = new long[items.Length];
        var rising = true;
        for (var i = 0; i < items.Length; i++)
        {
            keys[i] = key(items[i], field);
            rising &= i == 0 || keys[i] > keys[i - 1];
        }
        if (rising) return query.OrderDescending ? Backwards(items) : items;
        var order = new (long Key, string Guid, int Index)[items.Length];
        for (var i = 0; i < items.Length; i++) order[i] = (keys[i], guid(items[i]), i);
        var direction = query.OrderDescending ? -1 : 1;
        Array.Sort(order, (a, b) =>
        {
            var byKey = a.Key.CompareTo(b.Key);
            return direction * (byKey != 0 ? byKey : string.CompareOrdinal(a.Guid, b.Guid));
        });
        return order.Select(o => items[o.Index]);
    }

    private static IEnumerable<T> Backwards<T>(T[] items)
    {
        for (var i = items.Length - 1; i >= 0; i--) yield return items[i];
    }
}
