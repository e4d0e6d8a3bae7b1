using Confluent.Kafka;
using HyMiRec.Kafka.Embedded;
using HyMiRec.Training.Retraining;

namespace HyMiRec.IntegrationTests.Retraining;

public sealed class TopicReplayTests
{
    [Fact]
    public void Replay_reads_every_partition_to_the_end_and_leaves_the_silos_offsets_alone()
    {
        using var kafka = EmbeddedKafkaCluster.Start();
        kafka.CreateTopic("clicks", 3);
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true }).Build())
        {
            for (var i = 0; i < 90; i++)
            {
                var user = $"user-{i % 7}";
                var value = ClickEventCodec.Encode(new ClickEvent(user, $"item-{i}", DateTimeOffset.UnixEpoch.AddSeconds(i), "click", null));
                producer.Produce("clicks", new Message<byte[], byte[]> { Key = ClickEventCodec.EncodeKey(user), Value = value });
            }

            producer.Produce("clicks", new Message<byte[], byte[]> { Key = "bad"u8.ToArray(), Value = "{not json"u8.ToArray() });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }

        // The silos' group has committed offset 5 on partition 0.
        var group = new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "hymirec-silo", EnableAutoCommit = false };
        using (var silo = new ConsumerBuilder<byte[], byte[]>(group).Build())
        {
            silo.Commit([new TopicPartitionOffset("clicks", 0, 5)]);
        }

        var progress = new List<ReplayProgress>();
        var result = ClickReplay.Read(new ReplaySource(kafka.BootstrapServers, new Dictionary<string, string>(), null, null), "clicks", new SynchronousProgress(progress));

        Assert.Equal(91, result.Read);
        Assert.Equal(90, result.Clicks.Count);
        Assert.Equal(1, result.Rejected[nameof(RejectionReason.MalformedJson)]);
        Assert.Equal(90, result.Clicks.Select(c => c.ItemId).Distinct().Count());
        Assert.All(result.Clicks.GroupBy(c => c.UserId), g => Assert.Single(g.Select(c => c.Partition).Distinct()));
        Assert.Equal(91, progress[^1].Read);
        Assert.Equal(91, progress[^1].Total);

        using var check = new ConsumerBuilder<byte[], byte[]>(group).Build();
        var committed = check.Committed([new TopicPartition("clicks", 0)], TimeSpan.FromSeconds(10));
        Assert.Equal(5, committed.Single().Offset.Value);
    }

    [Fact]
    public void An_unknown_topic_is_a_clear_error()
    {
        using var kafka = EmbeddedKafkaCluster.Start();
        var source = new ReplaySource(kafka.BootstrapServers, new Dictionary<string, string> { ["allow.auto.create.topics"] = "false" }, null, null);
        var error = Assert.Throws<InvalidDataException>(() => ClickReplay.Read(source, "no-such-topic"));
        Assert.Contains("no-such-topic", error.Message, StringComparison.Ordinal);
    }

    private sealed class SynchronousProgress(List<ReplayProgress> seen) : IProgress<ReplayProgress>
    {
        public void Report(ReplayProgress value) => seen.Add(value);
    }
}
