using System.Collections.Concurrent;
using Confluent.Kafka;
using HyMiRec.Kafka.Hosting;
using Microsoft.Extensions.Logging;

namespace HyMiRec.Kafka.Streaming;

/// <summary>
/// The silo's one consumer of the click topic. Orleans' balancer decides which partitions this silo reads; each
/// receiver assigns its partition here (incrementally; Kafka's group rebalancing is not used, the group only keeps
/// committed offsets). One thread blocks in <c>Consume</c> and hands each message to its partition's
/// <see cref="PartitionFeed"/>: one fetch loop per silo instead of one per partition, and no thread spins while the
/// topic is quiet. Assignments, seeks and pauses run on that thread between two polls, so a seek and the purge of
/// what was fetched before it are one step.
/// </summary>
public sealed partial class KafkaClickConsumer : IDisposable
{
    // Bounds how long a command (assign, seek, resume) waits while the topic is quiet.
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(50);

    private readonly KafkaConnection _connection;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<int, PartitionFeed> _feeds = new();

    // Consumer thread only: the feed each current librdkafka assignment was made for.
    private readonly Dictionary<int, PartitionFeed> _assigned = [];
    private readonly ConcurrentQueue<Action<IConsumer<byte[]?, byte[]?>>> _commands = new();
    private readonly Lock _start = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _burstLimit;
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private Thread? _thread;
    private volatile bool _stopping;

    public KafkaClickConsumer(KafkaConnection connection, ILogger<KafkaClickConsumer> logger)
    {
        _connection = connection;
        _logger = logger;
        _burstLimit = connection.Options.MaxBatchSize;
    }

    internal string Topic => _connection.Options.ClickTopic;

    /// <summary>Starts reading <paramref name="partition"/> from the group's committed offset; its messages arrive in the returned feed.</summary>
    internal PartitionFeed Assign(int partition)
    {
        EnsureStarted();
        var feed = new PartitionFeed(new TopicPartition(Topic, partition), highWater: _connection.Options.MaxBatchSize * 2);
        // A newer receiver of the partition replaces an older one that has not finished shutting down.
        _feeds[partition] = feed;
        _ = Run(c => AssignOnConsumerThread(c, feed));
        LogAssigned(_logger, Topic, partition, _connection.Options.ConsumerGroup);
        return feed;
    }

    /// <summary>Commits <paramref name="commit"/> (when given) and stops reading the partition; messages not yet taken are dropped (the next reader replays them).</summary>
    internal async Task UnassignAsync(PartitionFeed feed, long? commit)
    {
        _feeds.TryRemove(KeyValuePair.Create(feed.Partition.Partition.Value, feed));
        if (_consumer is not { } consumer)
        {
            return;
        }

        if (commit is { } offset)
        {
            // Blocks on the broker: off the caller's (Orleans') thread.
            await Task.Run(() =>
            {
                try
                {
                    consumer.Commit([new TopicPartitionOffset(feed.Partition, offset)]);
                }
                catch (KafkaException e)
                {
                    LogCommitFailed(_logger, e, Topic, feed.Partition.Partition.Value, offset);
                }
            }).ConfigureAwait(false);
        }

        await Run(c =>
        {
            // Only the assignment made for this feed: a newer receiver's assignment of the partition stays.
            if (_assigned.TryGetValue(feed.Partition.Partition.Value, out var current) && current == feed)
            {
                c.IncrementalUnassign([feed.Partition]);
                _assigned.Remove(feed.Partition.Partition.Value);
            }
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Consumer thread. A partition still assigned for an older feed is unassigned first, so the new feed starts at
    /// the committed offset rather than where the older one's fetching had got to (its unread messages were dropped).
    /// </summary>
    private void AssignOnConsumerThread(IConsumer<byte[]?, byte[]?> consumer, PartitionFeed feed)
    {
        var partition = feed.Partition.Partition.Value;
        if (!_feeds.TryGetValue(partition, out var current) || current != feed)
        {
            return;
        }

        if (_assigned.Remove(partition))
        {
            consumer.IncrementalUnassign([feed.Partition]);
        }

        // Offset.Stored resumes at the group's committed offset, or auto.offset.reset when there is none.
        consumer.IncrementalAssign([new TopicPartitionOffset(feed.Partition, Offset.Stored)]);
        consumer.Resume([feed.Partition]);
        _assigned[partition] = feed;
    }

    /// <summary>Moves the partition back to <paramref name="offset"/>; completes once nothing fetched before the seek is left in the feed.</summary>
    internal Task RewindAsync(PartitionFeed feed, long offset) => Run(c =>
    {
        if (IsAssigned(feed))
        {
            c.Seek(new TopicPartitionOffset(feed.Partition, offset));
            feed.Clear();
        }
    });

    /// <summary>The receiver drained a paused partition far enough: fetching resumes.</summary>
    internal void ResumeIfPaused(PartitionFeed feed)
    {
        if (feed.Paused && feed.CanResume)
        {
            _ = Run(c =>
            {
                if (feed.Paused && IsAssigned(feed))
                {
                    c.Resume([feed.Partition]);
                    feed.Paused = false;
                }
            });
        }
    }

    /// <summary>Consumer thread: whether the current assignment of the feed's partition is the feed's own.</summary>
    private bool IsAssigned(PartitionFeed feed) => _assigned.TryGetValue(feed.Partition.Partition.Value, out var current) && current == feed;

    /// <summary>Stores the offset the group commits next for the partition (any thread).</summary>
    internal void StoreOffset(TopicPartitionOffset offset) => _consumer?.StoreOffset(offset);

    internal WatermarkOffsets? GetWatermarkOffsets(TopicPartition partition) => Volatile.Read(ref _consumer)?.GetWatermarkOffsets(partition);

    public void Dispose()
    {
        IConsumer<byte[]?, byte[]?>? consumer;
        lock (_start)
        {
            _stopping = true;
            consumer = _consumer;
        }

        if (consumer is null)
        {
            return;
        }

        _stopped.Task.Wait(TimeSpan.FromSeconds(10));
        try
        {
            consumer.Close();
        }
        catch (KafkaException e)
        {
            LogCloseFailed(_logger, e, Topic);
        }

        consumer.Dispose();
    }

    private IConsumer<byte[]?, byte[]?> EnsureStarted()
    {
        lock (_start)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            if (_consumer is { } existing)
            {
                return existing;
            }

            var config = _connection.CreateConsumerConfig($"hymirec-{Topic}");
            var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config)
                .SetErrorHandler((_, error) => LogKafkaError(_logger, Topic, error.Code, error.Reason))
                .Build();
            Volatile.Write(ref _consumer, consumer);
            _thread = new Thread(() => Loop(consumer)) { IsBackground = true, Name = "hymirec-kafka-consumer" };
            _thread.Start();
            return consumer;
        }
    }

    private Task Run(Action<IConsumer<byte[]?, byte[]?>> command)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _commands.Enqueue(c =>
        {
            try
            {
                command(c);
                done.TrySetResult();
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        });
        if (_stopping)
        {
            done.TrySetException(new ObjectDisposedException(nameof(KafkaClickConsumer)));
        }

        return done.Task;
    }

    private void Loop(IConsumer<byte[]?, byte[]?> consumer)
    {
        var burst = new Dictionary<PartitionFeed, List<ConsumeResult<byte[]?, byte[]?>>>();
        try
        {
            while (!_stopping)
            {
                while (_commands.TryDequeue(out var command))
                {
                    command(consumer);
                }

                // Block for the first message, then take what librdkafka already holds without waiting, and hand each
                // partition's share of the burst over at once.
                var timeout = PollTimeout;
                for (var taken = 0; taken < _burstLimit; taken++)
                {
                    ConsumeResult<byte[]?, byte[]?>? result;
                    try
                    {
                        result = consumer.Consume(timeout);
                    }
                    catch (ConsumeException e)
                    {
                        LogConsumeError(_logger, Topic, e.Error.Code, e.Error.Reason);
                        break;
                    }

                    if (result is null)
                    {
                        break;
                    }

                    timeout = TimeSpan.Zero;
                    if (result.Message is not null && _assigned.TryGetValue(result.Partition.Value, out var feed)
                        && _feeds.TryGetValue(result.Partition.Value, out var current) && current == feed)
                    {
                        if (!burst.TryGetValue(feed, out var messages))
                        {
                            burst[feed] = messages = [];
                        }

                        messages.Add(result);
                    }
                }

                foreach (var (feed, messages) in burst)
                {
                    feed.PushRange(messages);
                    PauseIfFull(consumer, feed);
                }

                burst.Clear();
            }
        }
        catch (Exception e)
        {
            LogLoopFailed(_logger, e, Topic);
        }
        finally
        {
            while (_commands.TryDequeue(out var command))
            {
                try
                {
                    command(consumer);
                }
                catch (KafkaException)
                {
                    // Shutting down: an unassign or seek that cannot run any more is moot.
                }
            }

            _stopped.TrySetResult();
        }
    }

    private void PauseIfFull(IConsumer<byte[]?, byte[]?> consumer, PartitionFeed feed)
    {
        if (feed.Paused || !feed.IsFull)
        {
            return;
        }

        try
        {
            consumer.Pause([feed.Partition]);
            feed.Paused = true;
        }
        catch (KafkaException e)
        {
            // Not paused: the feed grows past its mark until the next burst tries again.
            LogPauseFailed(_logger, e, Topic, feed.Partition.Partition.Value);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading Kafka {Topic}[{Partition}] from the committed offset of group {Group}")]
    private static partial void LogAssigned(ILogger logger, string topic, int partition, string group);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka client error on {Topic}: {Code} {Reason}")]
    private static partial void LogKafkaError(ILogger logger, string topic, Confluent.Kafka.ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consume error on Kafka {Topic}: {Code} {Reason}")]
    private static partial void LogConsumeError(ILogger logger, string topic, Confluent.Kafka.ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Offset commit {Offset} failed for Kafka {Topic}[{Partition}]")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, string topic, int partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing the Kafka consumer of {Topic} failed")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not pause Kafka {Topic}[{Partition}] while its receiver is behind")]
    private static partial void LogPauseFailed(ILogger logger, Exception exception, string topic, int partition);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The Kafka consumer loop of {Topic} stopped; partitions of this silo are no longer read")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception, string topic);
}
