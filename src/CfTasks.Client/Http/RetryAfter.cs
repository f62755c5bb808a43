namespace CfTasks.Client.Http;

/// <summary>The one reading of a <c>Retry-After</c> header (seconds or an HTTP date), bounded to a maximum wait.</summary>
internal static class RetryAfter
{
    /// <summary>How long the server asks to wait, capped at <paramref name="cap"/>; null when it did not say.</summary>
    public static TimeSpan? Of(HttpResponseMessage? response, TimeSpan cap, DateTimeOffset now)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null) return null;
        var wait = header.Delta ?? (header.Date is { } date ? date - now : TimeSpan.Zero);
        if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
        return wait > cap ? cap : wait;
    }
}
