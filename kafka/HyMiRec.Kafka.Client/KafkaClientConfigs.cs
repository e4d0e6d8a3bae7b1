using Confluent.Kafka;

namespace HyMiRec.Kafka.Client;

/// <summary>
/// The librdkafka configurations of every HyMiRec client (silo, CLI, trainer, benchmarks). The pass-through settings
/// (security.protocol, SASL, TLS, ...) come first and the role's own values after them, so a pass-through value cannot
/// turn off a producer's idempotence or change the group a consumer reads under.
/// </summary>
public static class KafkaClientConfigs
{
    /// <summary>Idempotent with acks=all: one partition's messages stay in order, once each, across retries.</summary>
    public static ProducerConfig Producer(string bootstrapServers, string clientId, IReadOnlyDictionary<string, string>? settings = null) =>
        new(Copy(settings))
        {
            BootstrapServers = bootstrapServers,
            ClientId = clientId,
            EnableIdempotence = true,
            Acks = Acks.All,
        };

    /// <summary>A consumer under <paramref name="groupId"/>; offset handling is the caller's, it differs per role.</summary>
    public static ConsumerConfig Consumer(string bootstrapServers, string clientId, string groupId, IReadOnlyDictionary<string, string>? settings = null) =>
        new(Copy(settings))
        {
            BootstrapServers = bootstrapServers,
            ClientId = clientId,
            GroupId = groupId,
            EnablePartitionEof = false,
        };

    public static AdminClientConfig Admin(string bootstrapServers, string clientId, IReadOnlyDictionary<string, string>? settings = null) =>
        new(Copy(settings))
        {
            BootstrapServers = bootstrapServers,
            ClientId = clientId,
        };

    // Confluent's configs write into the dictionary they are given; the caller's settings stay untouched.
    private static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string>? settings) =>
        settings is null ? new(StringComparer.Ordinal) : new(settings, StringComparer.Ordinal);
}
