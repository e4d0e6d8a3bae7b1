using HyMiRec.Kafka.Streaming;
using Microsoft.Extensions.Time.Testing;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace HyMiRec.UnitTests.Kafka;

public sealed class PerStreamQueueCacheTests
{
    private static KafkaClickBatchContainer Batch(string user, params long[] offsets) =>
        new(KafkaPartitionQueueMapper.StreamFor(user), [.. offsets.Select(o => new ClickEvent(user, "i", DateTimeOffset.UnixEpoch, "click", new LogPosition(0, o)))]);

    private static List<long> Drain(IQueueCacheCursor cursor)
    {
        var offsets = new List<long>();
        while (cursor.MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success)
        {
            offsets.Add(cursor.GetCurrent(out _)!.SequenceToken.SequenceNumber);
        }

        return offsets;
    }

    [Fact]
    public void A_cursor_sees_only_its_stream_and_delivered_batches_are_purged_whatever_other_streams_hold()
    {
        var cache = new PerStreamQueueCache(100, TimeSpan.FromMinutes(1), new FakeTimeProvider());
        cache.AddToCache([Batch("a", 0, 2), Batch("b", 1), Batch("a", 3)]);

        var a = cache.GetCacheCursor(KafkaPartitionQueueMapper.StreamFor("a"), null);
        Assert.Equal([0L, 3L], Drain(a));
        Assert.True(cache.TryPurgeFromCache(out var purged));

        // Both of a's batches were moved past (delivered); b's is still waiting for its consumer.
        Assert.Equal([0L, 3L], purged.Select(p => p.SequenceToken.SequenceNumber));
        Assert.False(cache.TryPurgeFromCache(out _));
        cache.AddToCache([Batch("a", 5)]);
        Assert.Equal([5L], Drain(a));
    }

    [Fact]
    public void A_batch_is_purged_only_when_every_consumer_of_its_stream_has_moved_past_it()
    {
        var cache = new PerStreamQueueCache(100, TimeSpan.FromMinutes(1), new FakeTimeProvider());
        cache.AddToCache([Batch("a", 0), Batch("a", 1)]);
        var user = cache.GetCacheCursor(KafkaPartitionQueueMapper.StreamFor("a"), null);
        var recorder = cache.GetCacheCursor(KafkaPartitionQueueMapper.StreamFor("a"), null);

        Assert.Equal([0L, 1L], Drain(recorder));
        Assert.False(cache.TryPurgeFromCache(out _));
        Assert.Equal([0L, 1L], Drain(user));
        Assert.True(cache.TryPurgeFromCache(out var purged));
        Assert.Equal(2, purged.Count);
    }

    [Fact]
    public void A_cursor_from_a_token_counts_the_older_batches_of_its_stream_as_delivered()
    {
        var cache = new PerStreamQueueCache(100, TimeSpan.FromMinutes(1), new FakeTimeProvider());
        cache.AddToCache([Batch("a", 0), Batch("a", 4), Batch("a", 9)]);

        var cursor = cache.GetCacheCursor(KafkaPartitionQueueMapper.StreamFor("a"), new EventSequenceTokenV2(4));

        Assert.True(cache.TryPurgeFromCache(out var purged));
        Assert.Equal([0L], purged.Select(p => p.SequenceToken.SequenceNumber));
        Assert.Equal([4L, 9L], Drain(cursor));
    }

    [Fact]
    public void Batches_of_a_stream_without_a_cursor_are_purged_after_the_orphan_time_and_pressure_stops_reads()
    {
        var clock = new FakeTimeProvider();
        var cache = new PerStreamQueueCache(3, TimeSpan.FromMinutes(1), clock);
        cache.AddToCache([Batch("lost", 0), Batch("lost", 1), Batch("kept", 2)]);
        var kept = cache.GetCacheCursor(KafkaPartitionQueueMapper.StreamFor("kept"), null);
        Assert.True(cache.IsUnderPressure());

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(cache.TryPurgeFromCache(out _));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(cache.TryPurgeFromCache(out var purged));

        Assert.Equal([0L, 1L], purged.Select(p => p.SequenceToken.SequenceNumber));
        Assert.False(cache.IsUnderPressure());
        Assert.Equal([2L], Drain(kept));
    }
}
