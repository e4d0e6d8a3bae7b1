using HyMiRec.Interfaces;
using Orleans.Streams;

namespace HyMiRec.Kafka.Streaming;

/// <summary>
/// One Orleans queue per Kafka partition (queue number = partition). Queues sit evenly on the consistent ring so
/// Orleans' default balancer spreads partitions over the silos; a stream maps to the partition its key hashes to.
/// </summary>
public sealed class KafkaPartitionQueueMapper : IConsistentRingStreamQueueMapper
{
    private readonly QueueId[] _queues;

    public KafkaPartitionQueueMapper(string topic, int partitions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        Topic = topic;
        var spacing = (1UL << 32) / (ulong)partitions;
        _queues = Enumerable.Range(0, partitions)
            .Select(p => QueueId.GetQueueId(topic, (uint)p, (uint)(spacing * (ulong)p)))
            .ToArray();
    }

    public string Topic { get; }

    public int Partitions => _queues.Length;

    public IEnumerable<QueueId> GetAllQueues() => _queues;

    public QueueId GetQueueForStream(StreamId streamId) => _queues[PartitionFor(streamId)];

    public QueueId GetQueueForPartition(int partition) => _queues[partition];

    public int PartitionFor(StreamId streamId) => ClickPartitioner.PartitionFor(streamId.Key.Span, _queues.Length);

    public static int PartitionOf(QueueId queueId) => checked((int)queueId.GetNumericId());

    public IEnumerable<QueueId> GetQueuesForRange(IRingRange range) => _queues.Where(q => range.InRange(q.GetUniformHashCode()));

    /// <summary>The stream a user's clicks travel on.</summary>
    public static StreamId StreamFor(string userId) => StreamId.Create(StreamNames.ClickNamespace, userId);
}
