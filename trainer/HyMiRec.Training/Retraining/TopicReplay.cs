using System.Diagnostics;
using Confluent.Kafka;
using HyMiRec.Kafka.Client;

namespace HyMiRec.Training.Retraining;

/// <summary>Where a replay reads: the cluster, extra librdkafka settings, and the message-time range.</summary>
public sealed record ReplaySource(string BootstrapServers, IReadOnlyDictionary<string, string> Settings, DateTimeOffset? From, DateTimeOffset? Until)
{
    /// <summary>How long the replay waits for the next message before it calls the log stalled.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>How far a replay has got: messages read so far out of the total it will read.</summary>
public readonly record struct ReplayProgress(string Topic, long Read, long Total, TimeSpan Elapsed);

/// <summary>
/// Reads a topic's partitions from a start to an end offset fixed when the replay begins (the high watermark, or
/// the first offset after <see cref="ReplaySource.Until"/> by message timestamp), by explicit assignment under a
/// throw-away group id with commits off: the silos' consumer group and offsets are never touched.
/// </summary>
public static class TopicReplay
{
    private const string ClientId = "hymirec-trainer";
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(15);

    public static long Read(ReplaySource source, string topic, Action<ConsumeResult<byte[]?, byte[]?>> onMessage,
        IProgress<ReplayProgress>? progress = null, CancellationToken cancellation = default)
    {
        var config = KafkaClientConfigs.Consumer(source.BootstrapServers, ClientId, $"hymirec-trainer-replay-{Guid.NewGuid():N}", source.Settings);
        config.EnableAutoCommit = false;
        config.EnableAutoOffsetStore = false;
        config.AutoOffsetReset = AutoOffsetReset.Earliest;

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        var partitions = Partitions(source, topic);
        var ranges = partitions.ToDictionary(p => p, p => Range(consumer, p, source));
        var remaining = ranges.Where(r => r.Value.End > r.Value.Start).ToDictionary(r => r.Key.Partition.Value, r => r.Value.End);
        var total = ranges.Values.Sum(r => Math.Max(0, r.End - r.Start));
        var clock = Stopwatch.StartNew();
        long read = 0;
        if (remaining.Count == 0)
        {
            progress?.Report(new ReplayProgress(topic, 0, 0, clock.Elapsed));
            return 0;
        }

        consumer.Assign(ranges.Where(r => r.Value.End > r.Value.Start).Select(r => new TopicPartitionOffset(r.Key, new Offset(r.Value.Start))));
        var lastMessage = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        while (remaining.Count > 0)
        {
            cancellation.ThrowIfCancellationRequested();
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is null)
            {
                if (lastMessage.Elapsed > source.StallTimeout)
                {
                    var waiting = string.Join(", ", remaining.Select(r => $"partition {r.Key} up to offset {r.Value}"));
                    throw new TimeoutException($"replay of topic '{topic}' stalled: no message for {source.StallTimeout.TotalSeconds:F0} s while waiting for {waiting}");
                }

                continue;
            }

            lastMessage.Restart();
            var partition = result.Partition.Value;
            if (!remaining.TryGetValue(partition, out var end) || result.Offset.Value >= end)
            {
                continue;
            }

            onMessage(result);
            read++;
            if (result.Offset.Value + 1 >= end)
            {
                remaining.Remove(partition);
                consumer.IncrementalUnassign([result.TopicPartition]);
            }

            if (clock.Elapsed - lastReport > TimeSpan.FromMilliseconds(500))
            {
                lastReport = clock.Elapsed;
                progress?.Report(new ReplayProgress(topic, read, total, clock.Elapsed));
            }
        }

        progress?.Report(new ReplayProgress(topic, read, total, clock.Elapsed));
        consumer.Close();
        return read;
    }

    private static List<TopicPartition> Partitions(ReplaySource source, string topic)
    {
        var config = KafkaClientConfigs.Admin(source.BootstrapServers, ClientId, source.Settings);

        var partitions = KafkaTopics.PartitionIds(config, topic, MetadataTimeout, out var why)
            ?? throw new InvalidDataException($"topic '{topic}' on {config.BootstrapServers} cannot be replayed: {why}");
        return [.. partitions.Select(p => new TopicPartition(topic, new Partition(p)))];
    }

    private static (long Start, long End) Range(IConsumer<byte[]?, byte[]?> consumer, TopicPartition partition, ReplaySource source)
    {
        var watermarks = consumer.QueryWatermarkOffsets(partition, MetadataTimeout);
        var start = source.From is { } from ? OffsetAt(consumer, partition, from, watermarks.High.Value) : watermarks.Low.Value;
        var end = source.Until is { } until ? OffsetAt(consumer, partition, until, watermarks.High.Value) : watermarks.High.Value;
        return (Math.Max(start, watermarks.Low.Value), Math.Min(end, watermarks.High.Value));
    }

    /// <summary>The first offset whose message timestamp is at or after <paramref name="time"/>; the high watermark if none is.</summary>
    private static long OffsetAt(IConsumer<byte[]?, byte[]?> consumer, TopicPartition partition, DateTimeOffset time, long high)
    {
        var found = consumer.OffsetsForTimes([new TopicPartitionTimestamp(partition, new Timestamp(time.UtcDateTime))], MetadataTimeout);
        var offset = found.Single().Offset;
        return offset.IsSpecial ? high : offset.Value;
    }
}
