using System.Text;
using Confluent.Kafka;
using HyMiRec.Interfaces;
using HyMiRec.Kafka.Embedded;
using HyMiRec.Kafka.Streaming;

namespace HyMiRec.IntegrationTests.Kafka;

public sealed class KafkaPartitionQueueMapperTests
{
    [Fact]
    public void Crc32_matches_the_standard_check_value() =>
        Assert.Equal(0xCBF43926u, ClickPartitioner.Crc32("123456789"u8));

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

    [Fact]
    public void Each_partition_has_one_queue_and_ring_ranges_split_them_without_overlap()
    {
        var mapper = new KafkaPartitionQueueMapper("clicks", 7);
        var queues = mapper.GetAllQueues().ToList();
        Assert.Equal(Enumerable.Range(0, 7), queues.Select(KafkaPartitionQueueMapper.PartitionOf));
        Assert.Equal(7, queues.Select(q => q.GetUniformHashCode()).Distinct().Count());
        Assert.Equal(queues, mapper.GetQueuesForRange(RangeFactory.CreateFullRange()));
        var low = mapper.GetQueuesForRange(RangeFactory.CreateRange(0, uint.MaxValue / 2)).ToList();
        var high = mapper.GetQueuesForRange(RangeFactory.CreateRange(uint.MaxValue / 2, 0)).ToList();
        Assert.NotEmpty(low);
        Assert.NotEmpty(high);
        Assert.Empty(low.Intersect(high));
        Assert.Equal(queues.Order(), low.Concat(high).Order());
    }

    [Fact]
    public void Streams_of_the_click_namespace_are_keyed_by_user_id()
    {
        var stream = KafkaPartitionQueueMapper.StreamFor("u-42");
        Assert.Equal(StreamNames.ClickNamespace, stream.GetNamespace());
        Assert.Equal("u-42", stream.GetKeyAsString());
    }
}
