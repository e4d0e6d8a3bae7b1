using System.Diagnostics.CodeAnalysis;
using Orleans.Streams;

namespace HyMiRec.Kafka.Streaming;

/// <summary>
/// The pulling agent's cache for one queue, indexed by stream. Orleans' SimpleQueueCache keeps one list for all
/// streams and each cursor walks it past every other stream's messages, so with thousands of user streams per
/// partition each delivery costs a scan of the whole cache. Here a cursor sees only its stream's pending messages
/// (O(1) per delivery), and a message is purged as soon as its stream's cursor has moved past it (delivered, or given
/// up by the agent after <c>MaxEventDeliveryTime</c>), whatever other streams still hold. Purges are therefore not in
/// offset order; the receiver keeps the commit point at the oldest message not yet purged. A stream that has had no
/// cursor for <c>orphanAfter</c> (its subscription faulted or was never made) has its messages purged too, as the
/// simple cache does, so one such stream cannot fill the cache and stop its partition. The pulling agent calls a
/// queue's cache from its own single-threaded scheduler, so nothing here locks.
/// </summary>
internal sealed class PerStreamQueueCache(int maxSize, TimeSpan orphanAfter, TimeProvider clock) : IQueueCache
{
    private readonly Dictionary<StreamId, LinkedList<IBatchContainer>> _pending = [];
    private readonly Dictionary<StreamId, int> _cursors = [];
    private readonly Dictionary<StreamId, long> _cursorlessSince = [];
    private readonly List<IBatchContainer> _passed = [];
    private long _nextOrphanScan;
    private int _count;

    public int GetMaxAddCount() => Math.Max(1, maxSize - _count);

    public bool IsUnderPressure() => _count >= maxSize;

    public void AddToCache(IList<IBatchContainer> messages)
    {
        foreach (var message in messages)
        {
            if (!_pending.TryGetValue(message.StreamId, out var stream))
            {
                _pending[message.StreamId] = stream = new LinkedList<IBatchContainer>();
            }

            stream.AddLast(message);
            _count++;
            if (_cursors.GetValueOrDefault(message.StreamId) == 0)
            {
                _cursorlessSince.TryAdd(message.StreamId, clock.GetTimestamp());
            }
        }
    }

    public bool TryPurgeFromCache([MaybeNullWhen(false)] out IList<IBatchContainer> purgedItems)
    {
        PassOrphans();
        if (_passed.Count == 0)
        {
            purgedItems = null;
            return false;
        }

        purgedItems = [.. _passed];
        _count -= _passed.Count;
        _passed.Clear();
        return true;
    }

    /// <summary>
    /// A cursor at the stream's first pending message at or after <paramref name="token"/>; older pending messages of
    /// the stream count as delivered (the consumer said it has them). Null starts at the first pending message.
    /// </summary>
    public IQueueCacheCursor GetCacheCursor(StreamId streamId, StreamSequenceToken? token)
    {
        if (token is not null && _pending.TryGetValue(streamId, out var stream))
        {
            while (stream.First is { } first && first.Value.SequenceToken.Older(token))
            {
                Pass(streamId, stream);
            }
        }

        _cursors[streamId] = _cursors.GetValueOrDefault(streamId) + 1;
        _cursorlessSince.Remove(streamId);
        return new Cursor(this, streamId);
    }

    /// <summary>Messages of streams without a cursor for <c>orphanAfter</c>; looked for once a second at most.</summary>
    private void PassOrphans()
    {
        var now = clock.GetTimestamp();
        if (now < _nextOrphanScan || _cursorlessSince.Count == 0)
        {
            return;
        }

        _nextOrphanScan = now + clock.TimestampFrequency;
        foreach (var (streamId, since) in _cursorlessSince.ToArray())
        {
            if (clock.GetElapsedTime(since, now) >= orphanAfter)
            {
                _cursorlessSince.Remove(streamId);
                while (_pending.TryGetValue(streamId, out var stream))
                {
                    Pass(streamId, stream);
                }
            }
        }
    }

    private void Released(StreamId streamId)
    {
        var left = _cursors.GetValueOrDefault(streamId) - 1;
        if (left > 0)
        {
            _cursors[streamId] = left;
            return;
        }

        _cursors.Remove(streamId);
        if (_pending.ContainsKey(streamId))
        {
            _cursorlessSince.TryAdd(streamId, clock.GetTimestamp());
        }
    }

    private void Pass(StreamId streamId, LinkedList<IBatchContainer> stream)
    {
        _passed.Add(stream.First!.Value);
        stream.RemoveFirst();
        if (stream.Count == 0)
        {
            _pending.Remove(streamId);
        }
    }

    private sealed class Cursor(PerStreamQueueCache cache, StreamId streamId) : IQueueCacheCursor
    {
        private IBatchContainer? _current;
        private bool _disposed;

        public IBatchContainer? GetCurrent(out Exception? exception)
        {
            exception = null;
            return _current;
        }

        /// <summary>Moves past the current message (its delivery is over) to the stream's next pending one.</summary>
        public bool MoveNext()
        {
            cache._pending.TryGetValue(streamId, out var stream);
            if (_current is not null && stream?.First is { } head && ReferenceEquals(head.Value, _current))
            {
                cache.Pass(streamId, stream);
                cache._pending.TryGetValue(streamId, out stream);
            }

            _current = stream?.First?.Value;
            return _current is not null;
        }

        public void Refresh(StreamSequenceToken token)
        {
            // MoveNext always looks at the stream's pending messages, so new ones are seen without repositioning.
        }

        public void RecordDeliveryFailure()
        {
            // The agent has given up on the current message; the next MoveNext passes it, and the receiver commits past it.
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                cache.Released(streamId);
            }
        }
    }
}

/// <summary>Creates a <see cref="PerStreamQueueCache"/> per queue (Kafka partition).</summary>
internal sealed class PerStreamQueueAdapterCache(int maxSize, TimeSpan orphanAfter) : IQueueAdapterCache
{
    public IQueueCache CreateQueueCache(QueueId queueId) => new PerStreamQueueCache(maxSize, orphanAfter, TimeProvider.System);
}
