using System.Collections.Concurrent;
using Confluent.Kafka;

namespace HyMiRec.Kafka.Streaming;

/// <summary>
/// Messages the silo's click consumer fetched for one partition, waiting for that partition's receiver. Filled by
/// the consumer thread, drained by the receiver; a receiver with nothing to read awaits the next message instead of
/// polling, so an idle partition costs nothing between messages.
/// </summary>
internal sealed class PartitionFeed(TopicPartition partition, int highWater)
{
    private readonly ConcurrentQueue<ConsumeResult<byte[]?, byte[]?>> _messages = new();
    private TaskCompletionSource _arrived = NewSignal();
    private int _count;
    private volatile bool _paused;

    public TopicPartition Partition => partition;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Set by the consumer thread when it paused fetching for this partition (the receiver fell behind).</summary>
    public bool Paused
    {
        get => _paused;
        set => _paused = value;
    }

    /// <summary>Enough is waiting that fetching more would only fill memory: the consumer pauses the partition.</summary>
    public bool IsFull => Count >= highWater;

    /// <summary>Drained far enough that a paused partition may fetch again.</summary>
    public bool CanResume => Count <= highWater / 4;

    /// <summary>
    /// Consumer thread only: the messages of one poll burst become visible to the receiver together, so a read takes
    /// what one fetch brought rather than the first message of it (fewer, larger per-user batches downstream).
    /// </summary>
    public void PushRange(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> messages)
    {
        foreach (var message in messages)
        {
            _messages.Enqueue(message);
        }

        // Counted after they are queued: a message the receiver can claim is always there to dequeue. A waiting
        // receiver saw an empty feed; only the add that makes it non-empty has to wake it.
        if (Interlocked.Add(ref _count, messages.Count) == messages.Count)
        {
            Interlocked.Exchange(ref _arrived, NewSignal()).TrySetResult();
        }
    }

    public void Push(ConsumeResult<byte[]?, byte[]?> message) => PushRange([message]);

    public bool TryTake(out ConsumeResult<byte[]?, byte[]?> message)
    {
        // Claim a counted message first, then dequeue it: what is queued but not yet counted stays for the next read.
        var count = Volatile.Read(ref _count);
        while (count > 0)
        {
            var seen = Interlocked.CompareExchange(ref _count, count - 1, count);
            if (seen == count)
            {
                if (!_messages.TryDequeue(out message!))
                {
                    throw new InvalidOperationException("a counted message was not queued");
                }

                return true;
            }

            count = seen;
        }

        message = null!;
        return false;
    }

    /// <summary>True once a message is waiting; false if <paramref name="timeout"/> passed first or the feed was closed.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellation)
    {
        // The signal is read before the count: a message pushed after the look replaces and completes this signal.
        var arrived = Volatile.Read(ref _arrived).Task;
        if (Count > 0)
        {
            return true;
        }

        try
        {
            await arrived.WaitAsync(timeout, cancellation).ConfigureAwait(false);
            return Count > 0;
        }
        catch (TimeoutException)
        {
            return Count > 0;
        }
    }

    /// <summary>The receiver stops: a read waiting for a message returns now.</summary>
    public void Close() => Volatile.Read(ref _arrived).TrySetResult();

    /// <summary>Consumer thread only, right after a seek: what was fetched before it is read again from the new position.</summary>
    public void Clear()
    {
        while (TryTake(out _))
        {
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
