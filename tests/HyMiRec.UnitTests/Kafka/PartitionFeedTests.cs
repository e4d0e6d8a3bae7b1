using Confluent.Kafka;
using HyMiRec.Kafka.Streaming;

namespace HyMiRec.UnitTests.Kafka;

public sealed class PartitionFeedTests
{
    private static readonly TopicPartition Partition = new("clicks", 3);

    private static ConsumeResult<byte[]?, byte[]?> Message(long offset) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(Partition, offset),
        Message = new Message<byte[]?, byte[]?> { Key = [1], Value = [2] },
    };

    [Fact]
    public async Task A_read_waiting_on_an_empty_feed_wakes_when_a_message_arrives()
    {
        var feed = new PartitionFeed(Partition, highWater: 100);
        var waiting = feed.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        feed.Push(Message(0));
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(feed.TryTake(out var taken));
        Assert.Equal(0, taken.Offset.Value);
        Assert.Equal(0, feed.Count);
    }

    [Fact]
    public async Task A_wait_on_a_quiet_feed_ends_after_its_timeout_and_a_closed_feed_answers_at_once()
    {
        var feed = new PartitionFeed(Partition, highWater: 100);
        Assert.False(await feed.WaitAsync(TimeSpan.FromMilliseconds(30), CancellationToken.None));

        var waiting = feed.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        feed.Close();
        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void The_feed_asks_for_a_pause_at_its_mark_and_for_a_resume_once_mostly_drained()
    {
        var feed = new PartitionFeed(Partition, highWater: 8);
        for (var i = 0; i < 8; i++)
        {
            Assert.False(feed.IsFull);
            feed.Push(Message(i));
        }

        Assert.True(feed.IsFull);
        Assert.False(feed.CanResume);
        for (var i = 0; i < 6; i++)
        {
            Assert.True(feed.TryTake(out var m));
            Assert.Equal(i, m.Offset.Value);
        }

        Assert.True(feed.CanResume);
        feed.Clear();
        Assert.Equal(0, feed.Count);
        Assert.False(feed.TryTake(out _));
    }
}
