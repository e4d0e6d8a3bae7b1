using System.ComponentModel.DataAnnotations;
using HyMiRec.Events;
using Microsoft.Extensions.Configuration;

namespace HyMiRec.Kafka.Hosting;

/// <summary>The "Kafka" configuration section of the silo (see docs/events.md and README).</summary>
public sealed class KafkaOptions
{
    public const string Section = "Kafka";

    /// <summary>
    /// Whether the silo takes its clicks from Kafka (the click stream provider, the dead-letter topic, and the HTTP
    /// intake through the click topic); off, clicks stay inside the silo (development, tests).
    /// </summary>
    public bool Enabled { get; set; }

    private const string AtLeast = "The field {0} must be at least {1}.";

    /// <summary>host:port list of a real cluster; empty starts an embedded in-memory cluster (development only).</summary>
    public string BootstrapServers { get; set; } = string.Empty;

    [Required(AllowEmptyStrings = false)]
    [Display(Name = Section + ":" + nameof(ClickTopic))]
    public string ClickTopic { get; set; } = "clicks";

    [Required(AllowEmptyStrings = false)]
    [Display(Name = Section + ":" + nameof(DeadLetterTopic))]
    public string DeadLetterTopic { get; set; } = "clicks.dlq";

    /// <summary>Consumer group under which each partition's delivered offset is committed.</summary>
    [Required(AllowEmptyStrings = false)]
    [Display(Name = Section + ":" + nameof(ConsumerGroup))]
    public string ConsumerGroup { get; set; } = "hymirec-silo";

    /// <summary>Partitions of the click topic the embedded cluster creates (a real cluster's topic keeps its own).</summary>
    [Range(1, int.MaxValue, ErrorMessage = AtLeast)]
    [Display(Name = Section + ":" + nameof(Partitions))]
    public int Partitions { get; set; } = 4;

    /// <summary>Brokers of the embedded cluster.</summary>
    [Range(1, int.MaxValue, ErrorMessage = AtLeast)]
    [Display(Name = Section + ":" + nameof(EmbeddedBrokers))]
    public int EmbeddedBrokers { get; set; } = 1;

    /// <summary>
    /// Most messages one receiver hands to Orleans per read; a read's clicks are delivered as one batch per user, so
    /// a backlog costs a grain turn per user and read rather than per click.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = AtLeast)]
    [Display(Name = Section + ":" + nameof(MaxBatchSize))]
    public int MaxBatchSize { get; set; } = 16384;

    /// <summary>
    /// Orleans' pulling period: how soon a partition's receiver reads again after a read returned nothing or the
    /// cache was full. A read with nothing waiting already waits for the next message (<see cref="ReadWaitMs"/>).
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = AtLeast)]
    [Display(Name = Section + ":" + nameof(PollIntervalMs))]
    public int PollIntervalMs { get; set; } = 10;

    /// <summary>
    /// Longest time a receiver's read waits for the next message before handing back an empty read: a click that
    /// arrives meanwhile is read at once, and a quiet partition costs a wake-up per this period, not per poll.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = AtLeast)]
    [Display(Name = Section + ":" + nameof(ReadWaitMs))]
    public int ReadWaitMs { get; set; } = 1000;

    /// <summary>Longest time the broker may hold a fetch while too little is waiting (librdkafka fetch.wait.max.ms).</summary>
    [Range(1, int.MaxValue, ErrorMessage = AtLeast)]
    [Display(Name = Section + ":" + nameof(FetchWaitMaxMs))]
    public int FetchWaitMaxMs { get; set; } = 20;

    /// <summary>Click messages larger than this go to the dead-letter topic as "oversized".</summary>
    [Range(1, int.MaxValue, ErrorMessage = AtLeast)]
    [Display(Name = Section + ":" + nameof(MaxMessageBytes))]
    public int MaxMessageBytes { get; set; } = ClickEventCodec.DefaultMaxMessageBytes;

    /// <summary>Clicks whose timestamp is further ahead of the silo's clock go to the dead-letter topic as "future-timestamp".</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "10675199.02:48:05.4775807", ErrorMessage = "The field {0} must be positive.")]
    [Display(Name = Section + ":" + nameof(MaxFutureSkew))]
    public TimeSpan MaxFutureSkew { get; set; } = Timestamps.DefaultMaxFutureSkew;

    /// <summary>How often delivered offsets are committed to the consumer group.</summary>
    [Range(1, int.MaxValue, ErrorMessage = AtLeast)]
    [Display(Name = Section + ":" + nameof(CommitIntervalMs))]
    public int CommitIntervalMs { get; set; } = 1000;

    /// <summary>
    /// How long Orleans keeps retrying the delivery of a click to a user grain that fails (e.g. while PostgreSQL is
    /// down) before it gives up on it and the partition moves past it. 0 (the default) retries until the click is
    /// delivered: nothing is lost, and the partition's commits wait. A positive value trades that for progress.
    /// </summary>
    [Range(0, int.MaxValue, ErrorMessage = "The field {0} must be 0 (retry until delivered) or positive.")]
    [Display(Name = Section + ":" + nameof(DeliveryRetryLimitSeconds))]
    public int DeliveryRetryLimitSeconds { get; set; }

    /// <summary>Longest wait between two attempts to deliver a click whose delivery failed (the waits double from 100 ms).</summary>
    [Range(1, int.MaxValue, ErrorMessage = AtLeast)]
    [Display(Name = Section + ":" + nameof(DeliveryRetryMaxMs))]
    public int DeliveryRetryMaxMs { get; set; } = 2000;

    /// <summary>
    /// How long the silo's producer tries to get a message acknowledged (librdkafka message.timeout.ms) before it
    /// reports failure: POST /v1/events answers 503 after at most this long, and a dead letter is retried.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = AtLeast)]
    [Display(Name = Section + ":" + nameof(ProduceTimeoutMs))]
    public int ProduceTimeoutMs { get; set; } = 10_000;

    /// <summary>How long start-up waits for the click topic's metadata.</summary>
    [Range(1, int.MaxValue, ErrorMessage = AtLeast)]
    [Display(Name = Section + ":" + nameof(MetadataTimeoutMs))]
    public int MetadataTimeoutMs { get; set; } = 10_000;

    /// <summary>Extra librdkafka settings for every client (e.g. security.protocol, sasl.mechanism, ssl.ca.location).</summary>
    public Dictionary<string, string> Settings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// <see cref="Enabled"/> as configured. Read before the service container is built, because it decides which
    /// services exist; every other value reaches the code through <c>IOptions&lt;KafkaOptions&gt;</c>, validated at start.
    /// </summary>
    public static bool IsEnabled(IConfiguration configuration) => configuration.GetSection(Section).GetValue<bool>(nameof(Enabled));
}
