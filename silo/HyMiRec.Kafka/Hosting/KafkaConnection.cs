using Confluent.Kafka;
using HyMiRec.Kafka.Client;
using HyMiRec.Kafka.Embedded;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyMiRec.Kafka.Hosting;

/// <summary>
/// Where the silo's Kafka is and how to reach it: the configured cluster, or an embedded in-memory one started on
/// first use when <see cref="KafkaOptions.BootstrapServers"/> is empty. Gives the silo's clients their librdkafka
/// configs (<see cref="KafkaClientConfigs"/> plus the silo's own offset and timeout handling).
/// </summary>
public sealed partial class KafkaConnection : IDisposable
{
    private readonly ILogger<KafkaConnection> _logger;
    private readonly Lazy<string> _bootstrapServers;
    private EmbeddedKafkaCluster? _embedded;

    public KafkaConnection(IOptions<KafkaOptions> options, ILogger<KafkaConnection> logger)
    {
        Options = options.Value;
        _logger = logger;
        _bootstrapServers = new Lazy<string>(Resolve, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public KafkaOptions Options { get; }

    public string BootstrapServers => _bootstrapServers.Value;

    /// <summary>True when this process hosts the (in-memory) cluster itself.</summary>
    public bool IsEmbedded => string.IsNullOrWhiteSpace(Options.BootstrapServers);

    public ProducerConfig CreateProducerConfig(string clientId)
    {
        var config = KafkaClientConfigs.Producer(BootstrapServers, clientId, Options.Settings);
        if (!Options.Settings.ContainsKey("message.timeout.ms"))
        {
            // librdkafka's 5 minutes would hold an HTTP request (and a partition's dead letter) that long in an outage.
            config.MessageTimeoutMs = Options.ProduceTimeoutMs;
        }

        return config;
    }

    public ConsumerConfig CreateConsumerConfig(string clientId)
    {
        var config = KafkaClientConfigs.Consumer(BootstrapServers, clientId, Options.ConsumerGroup, Options.Settings);
        // Offsets are stored only once Orleans reports delivery; librdkafka commits what was stored.
        config.EnableAutoCommit = true;
        config.EnableAutoOffsetStore = false;
        config.AutoCommitIntervalMs = Options.CommitIntervalMs;
        if (!Options.Settings.ContainsKey("fetch.wait.max.ms"))
        {
            // librdkafka's 500 ms default lets the broker hold a fetch that long when little is waiting: a fixed
            // wait on a click's path at low rates. The silo's own read period bounds the latency instead.
            config.FetchWaitMaxMs = Options.FetchWaitMaxMs;
        }

        if (!Options.Settings.ContainsKey("auto.offset.reset"))
        {
            // A group with no committed offset yet starts at the oldest retained click, not only new ones.
            config.AutoOffsetReset = AutoOffsetReset.Earliest;
        }

        return config;
    }

    /// <summary>Partition count of the click topic, read from the cluster's metadata.</summary>
    public int GetClickPartitionCount()
    {
        var partitions = KafkaTopics.PartitionIds(
            KafkaClientConfigs.Admin(BootstrapServers, "hymirec-silo", Options.Settings), Options.ClickTopic, TimeSpan.FromMilliseconds(Options.MetadataTimeoutMs), out var reason);
        return partitions?.Count ?? throw new InvalidOperationException(
            $"Kafka topic '{Options.ClickTopic}' is not available at {BootstrapServers}: {reason}. Create it (partitions = the number of Orleans queues) before starting the silo.");
    }

    private string Resolve()
    {
        if (!IsEmbedded)
        {
            return Options.BootstrapServers;
        }

        var cluster = EmbeddedKafkaCluster.Start(Options.EmbeddedBrokers);
        try
        {
            cluster.CreateTopic(Options.ClickTopic, Options.Partitions);
            cluster.CreateTopic(Options.DeadLetterTopic, Options.Partitions);
        }
        catch
        {
            cluster.Dispose();
            throw;
        }

        _embedded = cluster;
        LogEmbeddedStarted(_logger, cluster.BootstrapServers, Options.ClickTopic, Options.Partitions, Options.DeadLetterTopic, EmbeddedKafkaCluster.NativeLibraryPath);
        return cluster.BootstrapServers;
    }

    public void Dispose() => _embedded?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka:BootstrapServers is empty, so an EMBEDDED in-memory Kafka cluster was started at {BootstrapServers} " +
        "(topic {ClickTopic} with {Partitions} partitions, dead letters in {DeadLetterTopic}; librdkafka {Library}). Its data is lost when the silo stops; produce to it with: hymirec produce --bootstrap {BootstrapServers}")]
    private static partial void LogEmbeddedStarted(ILogger logger, string bootstrapServers, string clickTopic, int partitions, string deadLetterTopic, string library);
}
