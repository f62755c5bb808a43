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

    /// <summary>Applies <c>order_by</c> (stable, so ties keep creation order) when the query has one.</summary>
    public static IEnumerable<T> Ordered<T>(IEnumerable<T> matches, ListQuery query, Func<T, string, IComparable> key)
    {
        if (query.OrderByField is not { } field) return matches;
        return query.OrderDescending
            ? matches.OrderByDescending(item => key(item, field))
            : matches.OrderBy(item => key(item, field));
    }

    /// <summary>
    /// Applies <c>order_by</c> on a numeric key (times as Unix ns), stable like the overload above but without boxing a
    /// key per item: a 100,000-task list is sorted for every page it is read in.
    /// </summary>
    public static IEnumerable<T> Ordered<T>(IEnumerable<T> matches, ListQuery query, Func<T, string, long> key)
    {
        if (query.OrderByField is not { } field) return matches;
        var items = matches.ToArray();
        var order = new (long Key, int Index)[items.Length];
        for (var i = 0; i < items.Length; i++) order[i] = (key(items[i], field), i);
        var descending = query.OrderDescending;
        Array.Sort(order, (a, b) =>
        {
            var byKey = descending ? b.Key.CompareTo(a.Key) : a.Key.CompareTo(b.Key);
            return byKey != 0 ? byKey : a.Index.CompareTo(b.Index);
        });
        return order.Select(o => items[o.Index]);
    }
}
