using System.Text;
using Confluent.Kafka;
using HyMiRec.Kafka.Embedded;
using HyMiRec.Kafka.Streaming;

namespace HyMiRec.IntegrationTests.Kafka;

/// <summary>The queue mapper against a real producer (the embedded Kafka); its plain tests are in HyMiRec.UnitTests.</summary>
public sealed class KafkaPartitionQueueMapperTests
{
    [Fact]
    public async Task A_users_queue_is_the_partition_librdkafkas_default_partitioner_writes_the_user_to()
    {
        const int partitions = 5;
        await using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("mapping", partitions);
        var mapper = new KafkaPartitionQueueMapper("mapping", partitions);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var seen = new HashSet<int>();
        for (var i = 0; i < 60; i++)
        {
            var user = $"user-{i}-é";
            var result = await producer.ProduceAsync("mapping", new Message<string, string> { Key = user, Value = "{}" });
            var queue = mapper.GetQueueForStream(KafkaPartitionQueueMapper.StreamFor(user));
            Assert.Equal(result.Partition.Value, KafkaPartitionQueueMapper.PartitionOf(queue));
            Assert.Equal(result.Partition.Value, ClickPartitioner.PartitionFor(Encoding.UTF8.GetBytes(user), partitions));
            seen.Add(result.Partition.Value);
        }

        Assert.Equal(partitions, seen.Count);
    }
}
