using HyMiRec.Interfaces;
using HyMiRec.Kafka.Streaming;

namespace HyMiRec.UnitTests.Kafka;

public sealed class KafkaPartitionQueueMapperTests
{
    [Fact]
    public void Crc32_matches_the_standard_check_value() =>
        Assert.Equal(0xCBF43926u, ClickPartitioner.Crc32("123456789"u8));

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
