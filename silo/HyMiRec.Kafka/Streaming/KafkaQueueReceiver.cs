using Confluent.Kafka;
using HyMiRec.Events;
using HyMiRec.Kafka.Events;
using HyMiRec.Kafka.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace HyMiRec.Kafka.Streaming;

/// <summary>
/// Reads one Kafka partition for one Orleans queue, from the silo's shared <see cref="KafkaClickConsumer"/> (Orleans'
/// balancer decides which silo reads it, not Kafka's group rebalancing; the group only keeps the committed offset).
/// A read with nothing waiting awaits the next message for up to <see cref="KafkaOptions.ReadWaitMs"/> instead of
/// returning at once, so a quiet partition is not polled. An offset is stored for commit only when every message
/// before it was delivered by Orleans or written to the dead-letter topic, so a crash replays, never skips
/// (at-least-once; consumers deduplicate by <see cref="LogPosition"/>).
/// </summary>
internal sealed partial class KafkaQueueReceiver : IQueueAdapterReceiver
{
    private readonly KafkaClickConsumer _source;
    private readonly KafkaOptions _options;
    private readonly ClickEventCodec _codec;
    private readonly DeadLetterPublisher _deadLetters;
    private readonly ILogger _logger;
    private readonly TopicPartition _partition;
    private readonly string _name;
    private readonly SortedSet<long> _inFlight = [];
    private bool _shutDown;
    private PartitionFeed? _feed;
    private long _nextOffset = -1;
    private long _storedOffset = -1;
    private IDisposable? _metrics;

    public KafkaQueueReceiver(int partition, KafkaClickConsumer source, KafkaOptions options, ClickEventCodec codec, DeadLetterPublisher deadLetters, ILogger logger)
    {
        _partition = new TopicPartition(source.Topic, partition);
        _name = $"{source.Topic}[{partition}]";
        _source = source;
        _options = options;
        _codec = codec;
        _deadLetters = deadLetters;
        _logger = logger;
    }

    public Task Initialize(TimeSpan timeout)
    {
        EnsureFeed();
        return Task.CompletedTask;
    }

    private PartitionFeed EnsureFeed()
    {
        ObjectDisposedException.ThrowIf(_shutDown, this);
        if (_feed is not null)
        {
            return _feed;
        }

        _feed = _source.Assign(_partition.Partition.Value);
        _metrics = KafkaMetrics.Track(this, Progress);
        return _feed;
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        if (_shutDown)
        {
            return [];
        }

        var feed = EnsureFeed();
        if (feed.Count == 0)
        {
            try
            {
                if (!await feed.WaitAsync(TimeSpan.FromMilliseconds(_options.ReadWaitMs), cancellationToken))
                {
                    StoreCommitPoint();
                    return [];
                }
            }
            catch (OperationCanceledException)
            {
                return [];
            }
        }

        var limit = maxCount > 0 ? Math.Min(maxCount, _options.MaxBatchSize) : _options.MaxBatchSize;
        var accepted = new List<ClickEvent>();
        var rejected = new List<(long Offset, ClickRejection Rejection, Task Write)>();
        var lastOffset = -1L;
        for (var i = 0; i < limit && feed.TryTake(out var result); i++)
        {
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

        _source.ResumeIfPaused(feed);
        if (rejected.Count > 0)
        {
            lastOffset = await AwaitDeadLetters(feed, rejected, accepted, lastOffset);
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

        StoreCommitPoint();
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
    private async Task<long> AwaitDeadLetters(PartitionFeed feed, List<(long Offset, ClickRejection Rejection, Task Write)> rejected, List<ClickEvent> accepted, long lastOffset)
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
        await _source.RewindAsync(feed, firstFailure);
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

        StoreCommitPoint();
        return Task.CompletedTask;
    }

    private void StoreCommitPoint()
    {
        var commit = _inFlight.Count > 0 ? _inFlight.Min : _nextOffset;
        if (commit <= _storedOffset)
        {
            return;
        }

        try
        {
            _source.StoreOffset(new TopicPartitionOffset(_partition, commit));
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
        var commit = Interlocked.Read(ref _storedOffset);
        if (commit < 0 || _source.GetWatermarkOffsets(_partition) is not { } watermarks)
        {
            return null;
        }

        var high = watermarks.High;
        return high == Offset.Unset ? null : new PartitionProgress(_partition.Topic, _partition.Partition.Value, _options.ConsumerGroup, high.Value, commit);
    }

    public async Task Shutdown(TimeSpan timeout)
    {
        _metrics?.Dispose();
        _shutDown = true;
        var feed = _feed;
        _feed = null;
        if (feed is null)
        {
            return;
        }

        feed.Close();
        var stored = Interlocked.Read(ref _storedOffset);
        await _source.UnassignAsync(feed, stored >= 0 ? stored : null).WaitAsync(timeout);
        LogClosed(_logger, _name, stored);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped reading Kafka {Partition}; last stored commit offset {Offset}")]
    private static partial void LogClosed(ILogger logger, string partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka {Partition} offset {Offset} rejected ({Reason}: {Detail}); written to {DeadLetterTopic}")]
    private static partial void LogRejected(ILogger logger, string partition, long offset, string reason, string detail, string deadLetterTopic);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write Kafka {Partition} offset {Offset} to {DeadLetterTopic}; rewinding to retry it")]
    private static partial void LogDeadLetterFailed(ILogger logger, Exception exception, string partition, long offset, string deadLetterTopic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store commit offset {Offset} for Kafka {Partition}")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string partition, long offset);
}
