using System.Collections.Concurrent;

namespace HyMiRec.Grains.Inference;

/// <summary>
/// Requests waiting for a forward pass, in two lanes: requests with a caller waiting on the answer (a read of a user
/// whose interests are not in memory) are taken before recomputes started by ingest, so a read does not queue
/// behind a burst of clicks. Any number of writers, one reader that blocks (the inference thread).
/// </summary>
public sealed class InferenceQueue<T> : IDisposable
{
    private readonly ConcurrentQueue<T> _urgent = new();
    private readonly ConcurrentQueue<T> _background = new();
    private readonly ManualResetEventSlim _signal = new(initialState: false);
    private int _count;
    private volatile bool _closed;

    /// <summary>Requests queued in both lanes.</summary>
    public int Count => Volatile.Read(ref _count);

    public bool IsClosed => _closed;

    /// <summary>
    /// Queues <paramref name="item"/>; false (nothing queued) when the queue is closed, or when
    /// <paramref name="refuseAbove"/> is given and that many requests already wait.
    /// </summary>
    public bool TryAdd(T item, bool urgent, int? refuseAbove = null)
    {
        if (_closed)
        {
            return false;
        }

        if (Interlocked.Increment(ref _count) > refuseAbove)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        (urgent ? _urgent : _background).Enqueue(item);
        try
        {
            _signal.Set();
        }
        catch (ObjectDisposedException)
        {
            // Disposed after the closed check: the owner answers what is left in the lanes (Close), nothing is lost.
        }

        return true;
    }

    /// <summary>The oldest urgent request, else the oldest background one.</summary>
    public bool TryTake(out T item)
    {
        if (_urgent.TryDequeue(out item!) || _background.TryDequeue(out item!))
        {
            Interlocked.Decrement(ref _count);
            return true;
        }

        return false;
    }

    /// <summary>Blocks until a request is queued (true), or the timeout passes or the queue is closed and empty (false).</summary>
    public bool WaitForItems(TimeSpan timeout, CancellationToken cancellation)
    {
        while (true)
        {
            // Reset before looking: an add after the look sets the signal again, so no wake-up is lost.
            _signal.Reset();
            if (!_urgent.IsEmpty || !_background.IsEmpty)
            {
                return true;
            }

            if (_closed || !_signal.Wait(timeout, cancellation))
            {
                return false;
            }
        }
    }

    /// <summary>Refuses new requests and wakes the reader; returns what was still queued.</summary>
    public IReadOnlyList<T> Close()
    {
        _closed = true;
        _signal.Set();
        var left = new List<T>();
        while (TryTake(out var item))
        {
            left.Add(item);
        }

        return left;
    }

    public void Dispose() => _signal.Dispose();
}
