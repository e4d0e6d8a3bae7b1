using Confluent.Kafka;
using HyMiRec.Interfaces;
using HyMiRec.Kafka.Events;
using HyMiRec.Kafka.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace HyMiRec.Kafka.Streaming;

/// <summary>
/// Reads one Kafka partition for one Orleans queue. The partition is assigned manually (Orleans' balancer decides
/// which silo reads it, not Kafka's group rebalancing); the group only keeps the committed offset. An offset is
/// stored for commit only when every message before it was delivered by Orleans or written to the dead-letter topic,
/// so a crash replays, never skips (at-least-once; consumers deduplicate by <see cref="LogPosition"/>).
/// </summary>
internal sealed partial class KafkaQueueReceiver : IQueueAdapterReceiver
{
    private readonly KafkaConnection _connection;
    private readonly ClickEventCodec _codec;
    private readonly DeadLetterPublisher _deadLetters;
    private readonly ILogger _logger;
    private readonly TopicPartition _partition;
    private readonly string _name;
    private readonly SortedSet<long> _inFlight = [];
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private long _nextOffset = -1;
    private long _storedOffset = -1;
    private IDisposable? _metrics;

    public KafkaQueueReceiver(string topic, int partition, KafkaConnection connection, ClickEventCodec codec, DeadLetterPublisher deadLetters, ILogger logger)
    {
        _partition = new TopicPartition(topic, partition);
        _name = $"{topic}[{partition}]";
        _connection = connection;
        _codec = codec;
        _deadLetters = deadLetters;
        _logger = logger;
    }

    public Task Initialize(TimeSpan timeout)
    {
        EnsureConsumer();
        return Task.CompletedTask;
    }

    private IConsumer<byte[]?, byte[]?> EnsureConsumer()
    {
        if (_consumer is not null)
        {
            return _consumer;
        }

        var config = _connection.CreateConsumerConfig($"hymirec-{_partition.Topic}-{_partition.Partition.Value}");
        var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, error) => LogKafkaError(_logger, _name, error.Code, error.Reason))
            .Build();
        // Offset.Stored resumes at the group's committed offset, or auto.offset.reset when there is none.
        consumer.Assign(new TopicPartitionOffset(_partition, Offset.Stored));
        _consumer = consumer;
        _metrics = KafkaMetrics.Track(this, Progress);
        LogAssigned(_logger, _name, _connection.Options.ConsumerGroup);
        return consumer;
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        var consumer = EnsureConsumer();
        var limit = maxCount > 0 ? Math.Min(maxCount, _connection.Options.MaxBatchSize) : _connection.Options.MaxBatchSize;
        var accepted = new List<ClickEvent>();
        var rejected = new List<(long Offset, ClickRejection Rejection, Task Write)>();
        var lastOffset = -1L;
        for (var i = 0; i < limit; i++)
        {
            ConsumeResult<byte[]?, byte[]?>? result;
            try
            {
                // Zero timeout: only what librdkafka has already fetched, so the Orleans scheduler never blocks.
                result = consumer.Consume(TimeSpan.Zero);
            }
            catch (ConsumeException e)
            {
                LogConsumeError(_logger, _name, e.Error.Code, e.Error.Reason);
                break;
            }

            if (result?.Message is null)
            {
                break;
            }

            var offset = result.Offset.Value;
            var decoded = _codec.Decode(result.Message.Key, result.Message.Value, new LogPosition(_partition.Partition.Value, offset));
            if (decoded.IsAccepted)
            {
                accepted.Add(decoded.Click with { LoggedAt = LoggedAt(result.Message.Timestamp) });
            }
            else
            {
                rejected.Add((offset, decoded.Rejection, _deadLetters.PublishAsync(result, decoded.Rejection, cancellationToken)));
            }

            lastOffset = offset;
        }

        if (rejected.Count > 0)
        {
            lastOffset = await AwaitDeadLetters(consumer, rejected, accepted, lastOffset);
        }

        var batch = ByUser(accepted);
        foreach (var container in batch)
        {
            _inFlight.Add(container.Offset);
        }

        if (lastOffset >= 0)
        {
            _nextOffset = lastOffset + 1;
        }

        StoreCommitPoint(consumer);
        return [.. batch];
    }

    /// <summary>One container per user, holding that user's clicks in offset order; containers by first offset.</summary>
    private static List<KafkaClickBatchContainer> ByUser(List<ClickEvent> accepted)
    {
        var byUser = new Dictionary<string, List<ClickEvent>>(StringComparer.Ordinal);
        var order = new List<List<ClickEvent>>();
        foreach (var click in accepted)
        {
            if (!byUser.TryGetValue(click.UserId, out var clicks))
            {
                byUser[click.UserId] = clicks = [];
                order.Add(clicks);
            }

            clicks.Add(click);
        }

        return order.Select(clicks => new KafkaClickBatchContainer(KafkaPartitionQueueMapper.StreamFor(clicks[0].UserId), [.. clicks])).ToList();
    }

    /// <summary>The time the message entered the log; a message without one counts from now.</summary>
    private static DateTimeOffset LoggedAt(Timestamp timestamp) =>
        timestamp.Type == TimestampType.NotAvailable ? DateTimeOffset.UtcNow : new DateTimeOffset(timestamp.UtcDateTime, TimeSpan.Zero);

    /// <summary>
    /// Waits for the dead-letter writes. If one failed, the partition is rewound to it (and later messages dropped
    /// from this batch) so the next read retries it: a rejected message is never skipped unrecorded.
    /// </summary>
    private async Task<long> AwaitDeadLetters(IConsumer<byte[]?, byte[]?> consumer, List<(long Offset, ClickRejection Rejection, Task Write)> rejected, List<ClickEvent> accepted, long lastOffset)
    {
        var firstFailure = -1L;
        foreach (var (offset, rejection, write) in rejected)
        {
            try
            {
                await write;
                LogRejected(_logger, _name, offset, rejection.Code, rejection.Detail, _deadLetters.Topic);
            }
            catch (Exception e) when (e is KafkaException or OperationCanceledException)
            {
                LogDeadLetterFailed(_logger, e, _name, offset, _deadLetters.Topic);
                if (firstFailure < 0)
                {
                    firstFailure = offset;
                }
            }
        }

        if (firstFailure < 0)
        {
            return lastOffset;
        }

        accepted.RemoveAll(c => c.Source!.Offset > firstFailure);
        consumer.Seek(new TopicPartitionOffset(_partition, firstFailure));
        return firstFailure - 1;
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    /// <summary>
    /// The cache purges a user's batch once it was delivered (or given up by the delivery-failure handler), in any
    /// order across users; the commit point is the first offset of the oldest batch still in flight.
    /// </summary>
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            _inFlight.Remove(message.SequenceToken.SequenceNumber);
        }

        if (_consumer is { } consumer)
        {
            StoreCommitPoint(consumer);
        }

        return Task.CompletedTask;
    }

    private void StoreCommitPoint(IConsumer<byte[]?, byte[]?> consumer)
    {
        var commit = _inFlight.Count > 0 ? _inFlight.Min : _nextOffset;
        if (commit <= _storedOffset)
        {
            return;
        }

        try
        {
            consumer.StoreOffset(new TopicPartitionOffset(_partition, commit));
            Interlocked.Exchange(ref _storedOffset, commit);
        }
        catch (KafkaException e)
        {
            LogStoreFailed(_logger, e, _name, commit);
        }
    }

    /// <summary>For the lag gauge (any thread): null until the consumer knows the partition's end and a commit point.</summary>
    private PartitionProgress? Progress()
    {
        var consumer = Volatile.Read(ref _consumer);
        var commit = Interlocked.Read(ref _storedOffset);
        if (consumer is null || commit < 0)
        {
            return null;
        }

        var high = consumer.GetWatermarkOffsets(_partition).High;
        return high == Offset.Unset ? null : new PartitionProgress(_partition.Topic, _partition.Partition.Value, _connection.Options.ConsumerGroup, high.Value, commit);
    }

    public async Task Shutdown(TimeSpan timeout)
    {
        _metrics?.Dispose();
        var consumer = _consumer;
        _consumer = null;
        if (consumer is null)
        {
            return;
        }

        // Commit and Close block on the broker; keep them off the Orleans scheduler.
        var close = Task.Run(() =>
        {
            try
            {
                if (_storedOffset >= 0)
                {
                    consumer.Commit();
                }
            }
            catch (KafkaException e) when (e.Error.Code == Confluent.Kafka.ErrorCode.Local_NoOffset)
            {
                // The auto-commit already committed the last stored offset: nothing left to commit.
            }
            catch (KafkaException e)
            {
                LogCommitFailed(_logger, e, _name);
            }

            consumer.Close();
            consumer.Dispose();
        });
        await close.WaitAsync(timeout);
        LogClosed(_logger, _name, _storedOffset);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading Kafka {Partition} from the committed offset of group {Group}")]
    private static partial void LogAssigned(ILogger logger, string partition, string group);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped reading Kafka {Partition}; last stored commit offset {Offset}")]
    private static partial void LogClosed(ILogger logger, string partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka {Partition} offset {Offset} rejected ({Reason}: {Detail}); written to {DeadLetterTopic}")]
    private static partial void LogRejected(ILogger logger, string partition, long offset, string reason, string detail, string deadLetterTopic);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write Kafka {Partition} offset {Offset} to {DeadLetterTopic}; rewinding to retry it")]
    private static partial void LogDeadLetterFailed(ILogger logger, Exception exception, string partition, long offset, string deadLetterTopic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka client error on {Partition}: {Code} {Reason}")]
    private static partial void LogKafkaError(ILogger logger, string partition, Confluent.Kafka.ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consume error on Kafka {Partition}: {Code} {Reason}")]
    private static partial void LogConsumeError(ILogger logger, string partition, Confluent.Kafka.ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store commit offset {Offset} for Kafka {Partition}")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Final offset commit failed for Kafka {Partition}")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, string partition);
}
