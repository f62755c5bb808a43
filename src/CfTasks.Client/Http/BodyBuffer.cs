using System.Buffers;
using System.Text;

namespace CfTasks.Client.Http;

/// <summary>
/// A response body read into one buffer rented from the shared pool, up to a limit: the one way the client reads a body
/// whole (a root document, an error body, a log-cache page). <see cref="IsComplete"/> says whether the body ended within
/// the limit; each caller decides whether a longer body is an error (a root document) or just cut (an error body).
/// Dispose returns the buffer.
/// </summary>
internal sealed class BodyBuffer : IDisposable
{
    private readonly ArrayPool<byte> _pool;
    private byte[] _buffer;

    private BodyBuffer(ArrayPool<byte> pool, byte[] buffer, int length, bool complete)
    {
        _pool = pool;
        _buffer = buffer;
        Length = length;
        IsComplete = complete;
    }

    /// <summary>How many bytes were read.</summary>
    public int Length { get; }

    /// <summary>True when the whole body fit within the limit.</summary>
    public bool IsComplete { get; }

    /// <summary>The bytes read.</summary>
    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    /// <summary>The bytes read, as UTF-8 text.</summary>
    public string Text() => Encoding.UTF8.GetString(_buffer, 0, Length);

    /// <summary>The largest limit a caller may ask for.</summary>
    public const int MaxLimit = 1 << 30;

    /// <summary>
    /// Reads at most <paramref name="maxBytes"/> of <paramref name="content"/> (one byte more tells whether there was more),
    /// into a buffer from <paramref name="pool"/> (the shared pool when null). When the body's length is not announced,
    /// <paramref name="sizeHint"/> (say, the previous page's length) sizes the first buffer, so similar bodies are read
    /// without growing it.
    /// </summary>
    public static async Task<BodyBuffer> ReadAsync(
        HttpContent content, int maxBytes, CancellationToken cancellationToken, ArrayPool<byte>? pool = null, int sizeHint = 0)
    {
        if (maxBytes is <= 0 or > MaxLimit) throw new ArgumentOutOfRangeException(nameof(maxBytes));
        pool ??= ArrayPool<byte>.Shared;
        var wanted = maxBytes + 1;
        var initial = content.Headers.ContentLength is { } known && known < wanted
            ? (int)known + 1
            : Math.Min(wanted, Math.Max(64 * 1024, sizeHint + 1));
        var buffer = pool.Rent(initial);
        var length = 0;
        try
        {
            using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (length < wanted)
            {
                if (length == buffer.Length)
                {
                    var larger = pool.Rent((int)Math.Min(buffer.Length * 2L, wanted));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    pool.Return(buffer);
                    buffer = larger;
                }
                var read = await stream.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, wanted) - length), cancellationToken).ConfigureAwait(false);
                if (read == 0) return new BodyBuffer(pool, buffer, length, complete: true);
                length += read;
            }
            return new BodyBuffer(pool, buffer, maxBytes, complete: false);
        }
        catch
        {
            pool.Return(buffer);
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) _pool.Return(buffer);
    }
}
