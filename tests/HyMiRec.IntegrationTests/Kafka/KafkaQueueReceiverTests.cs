using System.Text;
using Confluent.Kafka;
using HyMiRec.Kafka.Embedded;
using HyMiRec.Kafka.Events;
using HyMiRec.Kafka.Hosting;
using HyMiRec.Kafka.Streaming;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HyMiRec.IntegrationTests.Kafka;

public sealed class KafkaQueueReceiverTests
{
    private const string Topic = "recv";
    private const string DeadLetterTopic = "recv.dlq";

    private static async Task<List<KafkaClickBatchContainer>> ReadFor(KafkaQueueReceiver receiver, TimeSpan duration, Func<List<KafkaClickBatchContainer>, bool>? until = null)
    {
        var read = new List<KafkaClickBatchContainer>();
        var deadline = DateTime.UtcNow + duration;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (DateTime.UtcNow < deadline && !(until?.Invoke(read) ?? false))
        {
            var batch = await receiver.GetQueueMessagesAsync(100, CancellationToken.None);
            read.AddRange(batch.Cast<KafkaClickBatchContainer>());
            await receiver.MessagesDeliveredAsync(batch, CancellationToken.None);
            await timer.WaitForNextTickAsync();
        }

        return read;
    }

    [Fact]
    public async Task A_rejected_message_that_cannot_be_dead_lettered_holds_the_partition_until_it_can()
    {
        await using var kafka = EmbeddedKafkaCluster.Start();
        kafka.CreateTopic(Topic, 1);
        kafka.CreateTopic(DeadLetterTopic, 1);
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            foreach (var value in new[]
            {
                """{"userId":"u","itemId":"i0","timestamp":0}""",
                """{"userId":"u","itemId":"i1","timestamp":1}""",
                """{"userId":"u","itemId":""",
                """{"userId":"u","itemId":"i3","timestamp":3}""",
            })
            {
                await producer.ProduceAsync(Topic, new Message<string, string> { Key = "u", Value = value });
            }
        }

        var options = Options.Create(new KafkaOptions { BootstrapServers = kafka.BootstrapServers, ClickTopic = Topic, DeadLetterTopic = DeadLetterTopic, ConsumerGroup = "g", CommitIntervalMs = 100 });
        using var connection = new KafkaConnection(options, NullLogger<KafkaConnection>.Instance);
        var codec = new ClickEventCodec();
        using var source = new KafkaClickConsumer(connection, NullLogger<KafkaClickConsumer>.Instance);

        // No broker at port 1: every dead-letter write fails after 300 ms.
        using (var unreachable = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = "127.0.0.1:1", MessageTimeoutMs = 300 }).Build())
        {
            var blocked = new KafkaQueueReceiver(0, source, options.Value, codec, new DeadLetterPublisher(unreachable, DeadLetterTopic), NullLogger.Instance);
            await blocked.Initialize(TimeSpan.FromSeconds(5));
            var read = await ReadFor(blocked, TimeSpan.FromSeconds(3));
            // The clicks before the rejected message are handed on in offset order (one container per user and read:
            // one or two reads, depending on how the consumer thread's hand-over meets the read).
            Assert.Equal([0L, 1L], read.SelectMany(c => c.Clicks).Select(c => c.Source!.Offset));
            Assert.Equal(0L, read[0].Offset);
            Assert.All(read, c => Assert.Equal(c.Offset, c.Clicks[0].Source!.Offset));
            await blocked.Shutdown(TimeSpan.FromSeconds(10));
        }

        using var reachable = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        var resumed = new KafkaQueueReceiver(0, source, options.Value, codec, new DeadLetterPublisher(reachable, DeadLetterTopic), NullLogger.Instance);
        await resumed.Initialize(TimeSpan.FromSeconds(5));
        var rest = await ReadFor(resumed, TimeSpan.FromSeconds(20), until: r => r.Count > 0);
        await resumed.Shutdown(TimeSpan.FromSeconds(10));

        // Resumed at the committed offset 2: the bad message went to the dead-letter topic and the partition moved on.
        var container = Assert.Single(rest);
        Assert.Equal(3, container.Offset);
        var click = Assert.Single(container.Clicks);
        Assert.Equal("i3", click.ItemId);
        Assert.Equal(new HyMiRec.Events.LogPosition(0, 3), click.Source);
        Assert.NotNull(click.LoggedAt);
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "g" }).Build();
        var committed = consumer.Committed([new TopicPartition(Topic, 0)], TimeSpan.FromSeconds(5));
        Assert.Equal(4, committed.Single().Offset.Value);
        consumer.Assign(new TopicPartitionOffset(DeadLetterTopic, 0, Offset.Beginning));
        var letter = consumer.Consume(TimeSpan.FromSeconds(10));
        Assert.NotNull(letter);
        Assert.Equal("malformed-json", DeadLetterPublisher.ReadHeader(letter.Message.Headers, DeadLetterPublisher.ReasonHeader));
        Assert.Equal("2", DeadLetterPublisher.ReadHeader(letter.Message.Headers, DeadLetterPublisher.SourceOffsetHeader));
        Assert.Equal("""{"userId":"u","itemId":""", Encoding.UTF8.GetString(letter.Message.Value!));
    }
}
