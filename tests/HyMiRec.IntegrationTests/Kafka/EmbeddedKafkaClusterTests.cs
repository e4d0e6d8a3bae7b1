using Confluent.Kafka;
using HyMiRec.Kafka.Embedded;

namespace HyMiRec.IntegrationTests.Kafka;

public sealed class EmbeddedKafkaClusterTests
{
    [Fact]
    public async Task Produced_messages_come_back_in_order_per_partition()
    {
        await using var cluster = EmbeddedKafkaCluster.Start(brokers: 2);
        const string topic = "roundtrip";
        const int partitions = 3;
        cluster.CreateTopic(topic, partitions);
        Assert.False(string.IsNullOrWhiteSpace(cluster.BootstrapServers));
        Assert.True(File.Exists(EmbeddedKafkaCluster.NativeLibraryPath) || !Path.IsPathRooted(EmbeddedKafkaCluster.NativeLibraryPath));

        var sent = new Dictionary<int, List<string>>();
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            for (var i = 0; i < 300; i++)
            {
                var key = "user-" + (i % 17);
                var result = await producer.ProduceAsync(topic, new Message<string, string> { Key = key, Value = $"{key}:{i}" });
                Assert.Equal(PersistenceStatus.Persisted, result.Status);
                sent.TryAdd(result.Partition.Value, []);
                sent[result.Partition.Value].Add(result.Message.Value);
            }
        }

        Assert.True(sent.Count > 1, "keys should spread over more than one partition");
        var config = new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "roundtrip-test",
            EnableAutoCommit = false,
        };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var received = new Dictionary<int, List<string>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (received.Values.Sum(v => v.Count) < 300 && DateTime.UtcNow < deadline)
        {
            var message = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (message is not null)
            {
                received.TryAdd(message.Partition.Value, []);
                received[message.Partition.Value].Add(message.Message.Value);
            }
        }

        Assert.Equal(sent.Keys.Order(), received.Keys.Order());
        foreach (var (partition, values) in sent)
        {
            Assert.Equal(values, received[partition]);
        }
    }

    [Fact]
    public void Creating_a_topic_after_dispose_fails_clearly()
    {
        var cluster = EmbeddedKafkaCluster.Start();
        cluster.Dispose();
        Assert.Throws<ObjectDisposedException>(() => cluster.CreateTopic("late", 1));
    }

    [Fact]
    public void Replication_beyond_the_broker_count_is_refused()
    {
        using var cluster = EmbeddedKafkaCluster.Start(brokers: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.CreateTopic("t", 1, replicationFactor: 2));
    }
}
