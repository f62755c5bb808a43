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
    private byte[] _buffer;

    private BodyBuffer(byte[] buffer, int length, bool complete)
    {
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

    /// <summary>Reads at most <paramref name="maxBytes"/> of <paramref name="content"/> (one byte more tells whether there was more).</summary>
    public static async Task<BodyBuffer> ReadAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        if (maxBytes is <= 0 or > MaxLimit) throw new ArgumentOutOfRangeException(nameof(maxBytes));
        var wanted = maxBytes + 1;
        var initial = content.Headers.ContentLength is { } known && known < wanted ? (int)known + 1 : Math.Min(wanted, 64 * 1024);
        var buffer = ArrayPool<byte>.Shared.Rent(initial);
        var length = 0;
        try
        {
            using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (length < wanted)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, wanted));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await stream.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, wanted) - length), cancellationToken).ConfigureAwait(false);
                if (read == 0) return new BodyBuffer(buffer, length, complete: true);
                length += read;
            }
            return new BodyBuffer(buffer, maxBytes, complete: false);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
