using HyMiRec.Interfaces;
using HyMiRec.Kafka.Events;

namespace HyMiRec.Kafka.Hosting;

/// <summary>The "Kafka" configuration section of the silo (see docs/events.md and README).</summary>
public sealed class KafkaOptions
{
    public const string SectionName = "Kafka";

    /// <summary>host:port list of a real cluster; empty starts an embedded in-memory cluster (development only).</summary>
    public string BootstrapServers { get; set; } = string.Empty;

    public string ClickTopic { get; set; } = "clicks";

    public string DeadLetterTopic { get; set; } = "clicks.dlq";

    /// <summary>Consumer group under which each partition's delivered offset is committed.</summary>
    public string ConsumerGroup { get; set; } = "hymirec-silo";

    /// <summary>Partitions of the click topic the embedded cluster creates (a real cluster's topic keeps its own).</summary>
    public int Partitions { get; set; } = 4;

    /// <summary>Brokers of the embedded cluster.</summary>
    public int EmbeddedBrokers { get; set; } = 1;

    /// <summary>
    /// Most messages one receiver hands to Orleans per read; a read's clicks are delivered as one batch per user, so
    /// a backlog costs a grain turn per user and read rather than per click.
    /// </summary>
    public int MaxBatchSize { get; set; } = 16384;

    /// <summary>
    /// Orleans' pulling period: how soon a partition's receiver reads again after a read returned nothing or the
    /// cache was full. A read with nothing waiting already waits for the next message (<see cref="ReadWaitMs"/>).
    /// </summary>
    public int PollIntervalMs { get; set; } = 10;

    /// <summary>
    /// Longest time a receiver's read waits for the next message before handing back an empty read: a click that
    /// arrives meanwhile is read at once, and a quiet partition costs a wake-up per this period, not per poll.
    /// </summary>
    public int ReadWaitMs { get; set; } = 1000;

    /// <summary>Longest time the broker may hold a fetch while too little is waiting (librdkafka fetch.wait.max.ms).</summary>
    public int FetchWaitMaxMs { get; set; } = 20;

    /// <summary>Click messages larger than this go to the dead-letter topic as "oversized".</summary>
    public int MaxMessageBytes { get; set; } = ClickEventCodec.DefaultMaxMessageBytes;

    /// <summary>Clicks whose timestamp is further ahead of the silo's clock go to the dead-letter topic as "future-timestamp".</summary>
    public TimeSpan MaxFutureSkew { get; set; } = Timestamps.DefaultMaxFutureSkew;

    /// <summary>How often delivered offsets are committed to the consumer group.</summary>
    public int CommitIntervalMs { get; set; } = 1000;

    /// <summary>
    /// How long Orleans keeps retrying the delivery of a click to a user grain that fails (e.g. while PostgreSQL is
    /// down) before it gives up on it and the partition moves past it. 0 (the default) retries until the click is
    /// delivered: nothing is lost, and the partition's commits wait. A positive value trades that for progress.
    /// </summary>
    public int DeliveryRetryLimitSeconds { get; set; }

    /// <summary>Longest wait between two attempts to deliver a click whose delivery failed (the waits double from 100 ms).</summary>
    public int DeliveryRetryMaxMs { get; set; } = 2000;

    /// <summary>
    /// How long the silo's producer tries to get a message acknowledged (librdkafka message.timeout.ms) before it
    /// reports failure: POST /v1/events answers 503 after at most this long, and a dead letter is retried.
    /// </summary>
    public int ProduceTimeoutMs { get; set; } = 10_000;

    /// <summary>How long start-up waits for the click topic's metadata.</summary>
    public int MetadataTimeoutMs { get; set; } = 10_000;

    /// <summary>Extra librdkafka settings for every client (e.g. security.protocol, sasl.mechanism, ssl.ca.location).</summary>
    public Dictionary<string, string> Settings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every problem with the options, one line each; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Require(errors, ClickTopic, nameof(ClickTopic));
        Require(errors, DeadLetterTopic, nameof(DeadLetterTopic));
        Require(errors, ConsumerGroup, nameof(ConsumerGroup));
        if (string.Equals(ClickTopic, DeadLetterTopic, StringComparison.Ordinal))
        {
            errors.Add($"Kafka:{nameof(DeadLetterTopic)} must differ from Kafka:{nameof(ClickTopic)} ('{ClickTopic}').");
        }

        Positive(errors, Partitions, nameof(Partitions));
        Positive(errors, EmbeddedBrokers, nameof(EmbeddedBrokers));
        Positive(errors, MaxBatchSize, nameof(MaxBatchSize));
        Positive(errors, PollIntervalMs, nameof(PollIntervalMs));
        Positive(errors, ReadWaitMs, nameof(ReadWaitMs));
        Positive(errors, FetchWaitMaxMs, nameof(FetchWaitMaxMs));
        Positive(errors, MaxMessageBytes, nameof(MaxMessageBytes));
        Positive(errors, CommitIntervalMs, nameof(CommitIntervalMs));
        if (MaxFutureSkew <= TimeSpan.Zero)
        {
            errors.Add($"Kafka:{nameof(MaxFutureSkew)} must be positive (is {MaxFutureSkew}).");
        }
        if (DeliveryRetryLimitSeconds < 0)
        {
            errors.Add($"Kafka:{nameof(DeliveryRetryLimitSeconds)} must be 0 (retry until delivered) or positive (is {DeliveryRetryLimitSeconds}).");
        }

        Positive(errors, MetadataTimeoutMs, nameof(MetadataTimeoutMs));
        Positive(errors, ProduceTimeoutMs, nameof(ProduceTimeoutMs));
        Positive(errors, DeliveryRetryMaxMs, nameof(DeliveryRetryMaxMs));
        foreach (var key in Settings.Keys.Where(k => k is "bootstrap.servers" or "group.id" or "enable.auto.commit" or "enable.auto.offset.store"))
        {
            errors.Add($"Kafka:Settings:{key} is managed by the provider; use Kafka:{nameof(BootstrapServers)} / {nameof(ConsumerGroup)} instead.");
        }

        return errors;
    }

    private static void Require(List<string> errors, string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"Kafka:{name} must not be empty.");
        }
    }

    private static void Positive(List<string> errors, int value, string name)
    {
        if (value < 1)
        {
            errors.Add($"Kafka:{name} must be at least 1 (is {value}).");
        }
    }
}
