using Confluent.Kafka;

namespace HyMiRec.Kafka.Client;

/// <summary>The one place a HyMiRec process asks the cluster's metadata for a topic's partitions.</summary>
public static class KafkaTopics
{
    /// <summary>
    /// The topic's partition ids in ascending order, or null with <paramref name="problem"/> saying why there are
    /// none (the topic is missing, reports an error, or has no partitions).
    /// </summary>
    public static IReadOnlyList<int>? PartitionIds(AdminClientConfig config, string topic, TimeSpan timeout, out string? problem)
    {
        using var admin = new AdminClientBuilder(config).Build();
        var metadata = admin.GetMetadata(topic, timeout);
        var entry = metadata.Topics.FirstOrDefault(t => t.Topic == topic);
        problem = entry is null ? "not in the metadata" : entry.Error.IsError ? entry.Error.Reason : entry.Partitions.Count == 0 ? "no partitions" : null;
        return problem is null ? [.. entry!.Partitions.Select(p => p.PartitionId).Order()] : null;
    }
}
