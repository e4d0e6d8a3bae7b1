using System.Diagnostics.CodeAnalysis;
using Orleans.Streams;

namespace HyMiRec.Kafka.Streaming;

/// <summary>
/// The pulling agent's cache for one queue, indexed by stream. Orleans' SimpleQueueCache keeps one list for all
/// streams and each cursor walks it past every other stream's messages, so with thousands of user streams per
/// partition each delivery costs a scan of the whole cache. Here a cursor sees only its stream's messages (O(1) per
/// delivery), and a message is purged as soon as every cursor of its stream has moved past it (delivered, or given up
/// by the agent after <c>MaxEventDeliveryTime</c>), whatever other streams still hold. Purges are therefore not in
/// offset order; the receiver keeps the commit point at the oldest message not yet purged. A stream that has had no
/// cursor for <c>orphanAfter</c> (its subscription faulted or was never made) has its messages purged too, as the
/// simple cache does, so one such stream cannot fill the cache and stop its partition. The pulling agent calls a
/// queue's cache from its own single-threaded scheduler, so nothing here locks.
/// </summary>
internal sealed class PerStreamQueueCache(int maxSize, TimeSpan orphanAfter, TimeProvider clock) : IQueueCache
{
    private readonly Dictionary<StreamId, StreamMessages> _streams = [];
    private readonly List<IBatchContainer> _passed = [];
    private long _nextOrphanScan;
    private int _count;

    public int GetMaxAddCount() => Math.Max(1, maxSize - _count);

    public bool IsUnderPressure() => _count >= maxSize;

    public void AddToCache(IList<IBatchContainer> messages)
    {
        foreach (var message in messages)
        {
            if (!_streams.TryGetValue(message.StreamId, out var stream))
            {
                _streams[message.StreamId] = stream = new StreamMessages(clock.GetTimestamp());
            }

            stream.Add(message);
            _count++;
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
    /// A cursor at the stream's first message at or after <paramref name="token"/> (the consumer has the older ones);
    /// null starts at the stream's oldest message still cached.
    /// </summary>
    public IQueueCacheCursor GetCacheCursor(StreamId streamId, StreamSequenceToken? token)
    {
        if (!_streams.TryGetValue(streamId, out var stream))
        {
            _streams[streamId] = stream = new StreamMessages(clock.GetTimestamp());
        }

        var cursor = new Cursor(this, streamId, stream, stream.IndexOf(token));
        stream.Cursors.Add(cursor);
        Trim(streamId, stream);
        return cursor;
    }

    /// <summary>Messages every cursor of the stream has moved past go to the purge list.</summary>
    private void Trim(StreamId streamId, StreamMessages stream)
    {
        if (stream.Cursors.Count > 0)
        {
            stream.PassBefore(stream.Cursors.Min(c => c.Next), _passed);
        }
        else
        {
            stream.CursorlessSince = clock.GetTimestamp();
        }

        if (stream.Count == 0 && stream.Cursors.Count == 0)
        {
            _streams.Remove(streamId);
        }
    }

    /// <summary>Messages of streams without a cursor for <c>orphanAfter</c>; looked for once a second at most.</summary>
    private void PassOrphans()
    {
        var now = clock.GetTimestamp();
        if (now < _nextOrphanScan)
        {
            return;
        }

        _nextOrphanScan = now + clock.TimestampFrequency;
        foreach (var (streamId, stream) in _streams.Where(s => s.Value.Cursors.Count == 0).ToArray())
        {
            if (clock.GetElapsedTime(stream.CursorlessSince, now) >= orphanAfter)
            {
                stream.PassBefore(long.MaxValue, _passed);
                _streams.Remove(streamId);
            }
        }
    }

    /// <summary>One stream's cached messages: a window of its message sequence, from index <see cref="First"/>.</summary>
    private sealed class StreamMessages(long created)
    {
        private readonly List<IBatchContainer> _messages = [];
        private int _head;

        public HashSet<Cursor> Cursors { get; } = [];

        public long CursorlessSince { get; set; } = created;

        /// <summary>Index (in the stream's own sequence) of the oldest cached message.</summary>
        public long First { get; private set; }

        public int Count => _messages.Count - _head;

        public long End => First + Count;

        public void Add(IBatchContainer message) => _messages.Add(message);

        public IBatchContainer At(long index) => _messages[_head + (int)(index - First)];

        public long IndexOf(StreamSequenceToken? token)
        {
            var index = First;
            while (token is not null && index < End && At(index).SequenceToken.Older(token))
            {
                index++;
            }

            return index;
        }

        public void PassBefore(long index, List<IBatchContainer> passed)
        {
            while (First < index && Count > 0)
            {
                passed.Add(_messages[_head]);
                _messages[_head++] = null!;
                First++;
            }

            // Drop the passed slots now and then, so the list does not grow with the stream's whole life.
            if (_head > 64 && _head * 2 > _messages.Count)
            {
                _messages.RemoveRange(0, _head);
                _head = 0;
            }
        }
    }

    private sealed class Cursor(PerStreamQueueCache cache, StreamId streamId, StreamMessages stream, long next) : IQueueCacheCursor
    {
        private IBatchContainer? _current;
        private bool _disposed;

        /// <summary>Index of the next message to hand out; everything before it was delivered (or given up).</summary>
        public long Next { get; private set; } = next;

        public IBatchContainer? GetCurrent(out Exception? exception)
        {
            exception = null;
            return _current;
        }

        /// <summary>Moves past the current message (its delivery is over) to the stream's next one.</summary>
        public bool MoveNext()
        {
            if (_current is not null)
            {
                Next++;
                _current = null;
                cache.Trim(streamId, stream);
            }

            // Messages purged as orphans, or passed before this cursor existed, are behind the window.
            Next = Math.Max(Next, stream.First);
            if (Next < stream.End)
            {
                _current = stream.At(Next);
                return true;
            }

            return false;
        }

        public void Refresh(StreamSequenceToken token)
        {
            // MoveNext looks at the stream's window each time, so new messages are seen without repositioning.
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
                stream.Cursors.Remove(this);
                cache.Trim(streamId, stream);
            }
        }
    }
}

/// <summary>Creates a <see cref="PerStreamQueueCache"/> per queue (Kafka partition).</summary>
internal sealed class PerStreamQueueAdapterCache(int maxSize, TimeSpan orphanAfter) : IQueueAdapterCache
{
    public IQueueCache CreateQueueCache(QueueId queueId) => new PerStreamQueueCache(maxSize, orphanAfter, TimeProvider.System);
}
