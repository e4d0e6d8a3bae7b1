using System.Globalization;
using System.Text;
using Confluent.Kafka;
using HyMiRec.Kafka.Embedded;
using HyMiRec.Kafka.Hosting;
using Orleans.TestingHost;

namespace HyMiRec.IntegrationTests.Kafka;

/// <summary>An embedded Kafka with fresh click and dead-letter topics, plus helpers to run Orleans test clusters on it.</summary>
internal sealed class KafkaTestBed : IAsyncDisposable
{
    public const int MaxMessageBytes = 2048;

    private KafkaTestBed(EmbeddedKafkaCluster kafka, string prefix, int partitions)
    {
        Kafka = kafka;
        ClickTopic = prefix + ".clicks";
        DeadLetterTopic = prefix + ".dlq";
        ConsumerGroup = prefix + ".group";
        Partitions = partitions;
        kafka.CreateTopic(ClickTopic, partitions);
        kafka.CreateTopic(DeadLetterTopic, 1);
        Producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            EnableIdempotence = true,
            LingerMs = 1,
        }).Build();
    }

    public EmbeddedKafkaCluster Kafka { get; }

    public string ClickTopic { get; }

    public string DeadLetterTopic { get; }

    public string ConsumerGroup { get; }

    public int Partitions { get; }

    public IProducer<byte[]?, byte[]?> Producer { get; }

    public static KafkaTestBed Start(string prefix, int partitions) => new(EmbeddedKafkaCluster.Start(), prefix + "-" + Guid.NewGuid().ToString("N")[..8], partitions);

    public async Task<TestCluster> StartSilosAsync(short silos, IReadOnlyDictionary<string, string>? kafkaSettings = null)
    {
        var builder = new TestClusterBuilder(silos);
        foreach (var (key, value) in kafkaSettings ?? new Dictionary<string, string>())
        {
            builder.Properties[$"{KafkaOptions.Section}:{key}"] = value;
        }

        builder.Properties[$"{KafkaOptions.Section}:{nameof(KafkaOptions.BootstrapServers)}"] = Kafka.BootstrapServers;
        builder.Properties[$"{KafkaOptions.Section}:{nameof(KafkaOptions.ClickTopic)}"] = ClickTopic;
        builder.Properties[$"{KafkaOptions.Section}:{nameof(KafkaOptions.DeadLetterTopic)}"] = DeadLetterTopic;
        builder.Properties[$"{KafkaOptions.Section}:{nameof(KafkaOptions.ConsumerGroup)}"] = ConsumerGroup;
        builder.Properties[$"{KafkaOptions.Section}:{nameof(KafkaOptions.MaxMessageBytes)}"] = MaxMessageBytes.ToString(CultureInfo.InvariantCulture);
        builder.Properties[$"{KafkaOptions.Section}:{nameof(KafkaOptions.CommitIntervalMs)}"] = "200";
        builder.AddSiloBuilderConfigurator<KafkaSiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>The settings that point a ServingSilo's Kafka provider at this bed's topics and group.</summary>
    public Dictionary<string, string> SiloSettings() => new()
    {
        ["Kafka:Enabled"] = "true",
        ["Kafka:BootstrapServers"] = Kafka.BootstrapServers,
        ["Kafka:ClickTopic"] = ClickTopic,
        ["Kafka:DeadLetterTopic"] = DeadLetterTopic,
        ["Kafka:ConsumerGroup"] = ConsumerGroup,
        ["Kafka:Partitions"] = Partitions.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Produces raw key/value pairs in order (idempotent producer: order kept per partition).</summary>
    public async Task ProduceAsync(IEnumerable<(string? Key, string Value)> messages)
    {
        var writes = messages
            .Select(m => Producer.ProduceAsync(ClickTopic, new Message<byte[]?, byte[]?>
            {
                Key = m.Key is null ? null : Encoding.UTF8.GetBytes(m.Key),
                Value = Encoding.UTF8.GetBytes(m.Value),
                Headers = [new Header("origin", "test"u8.ToArray())],
            }))
            .ToList();
        await Task.WhenAll(writes);
    }

    /// <summary>Reads the whole dead-letter topic until it holds <paramref name="expected"/> messages.</summary>
    public List<ConsumeResult<byte[]?, byte[]?>> ReadDeadLetters(int expected, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = Kafka.BootstrapServers,
            GroupId = ConsumerGroup + ".dlq-reader",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(DeadLetterTopic, 0, Offset.Beginning));
        var results = new List<ConsumeResult<byte[]?, byte[]?>>();
        var deadline = DateTime.UtcNow + timeout;
        while (results.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null } result)
            {
                results.Add(result);
            }
        }

        return results;
    }

    /// <summary>Per partition: (committed offset of the silo's group, end of the partition).</summary>
    public List<(long Committed, long End)> CommitProgress()
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = Kafka.BootstrapServers,
            GroupId = ConsumerGroup,
            EnableAutoCommit = false,
        }).Build();
        var partitions = Enumerable.Range(0, Partitions).Select(p => new TopicPartition(ClickTopic, p)).ToList();
        var committed = consumer.Committed(partitions, TimeSpan.FromSeconds(5));
        return partitions
            .Select(p => (
                committed.Single(c => c.Partition == p.Partition).Offset.Value,
                consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(5)).High.Value))
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        Producer.Dispose();
        await Kafka.DisposeAsync();
    }
}
