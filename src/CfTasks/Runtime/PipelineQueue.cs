using System.Collections.Concurrent;

namespace CfTasks.Runtime;

/// <summary>
/// What async work hands to the pipeline thread: many producers, one consumer (the pipeline thread). Neither side
/// spins. BlockingCollection and SemaphoreSlim spin before they sleep and take a lock on every call; on a busy machine
/// with two cores that spinning took the CPU the producer (reading and deserialising the next page) and the pipeline
/// needed. Here an item is enqueued without a lock, and the consumer sleeps on an event only after saying so and looking
/// once more, so a producer signals only a consumer that is asleep or about to be.
/// </summary>
internal sealed class PipelineQueue<T>
{
    private readonly ConcurrentQueue<T> _items = new();
    private readonly CancellationToken _stopping;
    private AutoResetEvent? _wake; // made when the consumer first sleeps: most commands never wait
    private WaitHandle[]? _handles;
    private int _sleeping;

    /// <param name="stopping">Ends a wait in <see cref="Take"/> with <see cref="OperationCanceledException"/>.</param>
    public PipelineQueue(CancellationToken stopping) => _stopping = stopping;

    /// <summary>Queues <paramref name="item"/> and wakes the consumer if it sleeps.</summary>
    public void Add(T item)
    {
        _items.Enqueue(item);
        // The enqueue is a full fence, as is the consumer's announcement: either it sees this item or this sees it asleep.
        // The event exists before the consumer announces its sleep (the announcement publishes it).
        if (Volatile.Read(ref _sleeping) != 0 && Interlocked.Exchange(ref _sleeping, 0) != 0) _wake!.Set();
    }

    /// <summary>Takes the next item if there is one, without waiting.</summary>
    public bool TryTake(out T item) => _items.TryDequeue(out item!);

    /// <summary>Takes the next item, sleeping until there is one; throws <see cref="OperationCanceledException"/> once stopping.</summary>
    public T Take()
    {
        while (true)
        {
            _stopping.ThrowIfCancellationRequested();
            if (_items.TryDequeue(out var item)) return item;
            if (_handles is null)
            {
                _wake = new AutoResetEvent(false);
                _handles = [_wake, _stopping.WaitHandle];
            }
            Interlocked.Exchange(ref _sleeping, 1);
            if (_items.TryDequeue(out item))
            {
                Interlocked.Exchange(ref _sleeping, 0);
                return item;
            }
            WaitHandle.WaitAny(_handles); // a wake-up left over from a race only costs one more look
        }
    }
}
