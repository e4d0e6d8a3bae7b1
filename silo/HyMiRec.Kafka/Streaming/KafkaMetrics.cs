using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace HyMiRec.Kafka.Streaming;

/// <summary>
/// Per-partition consumer lag and commit point of the click topic (meter "HyMiRec.Kafka"), observed from the
/// receivers this silo runs: lag = the partition's high watermark (as of the consumer's last fetch) minus the
/// offset the receiver will commit (every click before it delivered or dead-lettered). A partition that moves to
/// another silo is reported by that silo from then on.
/// </summary>
public static class KafkaMetrics
{
    public const string MeterName = "HyMiRec.Kafka";

    private static readonly Meter Meter = new(MeterName);
    private static readonly ConcurrentDictionary<object, Func<PartitionProgress?>> Receivers = new();

    static KafkaMetrics()
    {
        Meter.CreateObservableGauge("hymirec.kafka.consumer_lag", () => Observe(p => p.Lag), "{message}",
            "Messages in the partition not yet delivered to user grains (or dead-lettered)");
        Meter.CreateObservableGauge("hymirec.kafka.committed_offset", () => Observe(p => p.CommitPoint), "{offset}",
            "Offset the consumer group commits for the partition: everything before it was delivered");
    }

    internal static IDisposable Track(object receiver, Func<PartitionProgress?> progress)
    {
        _ = Meter;
        Receivers[receiver] = progress;
        return new Registration(receiver);
    }

    private static IEnumerable<Measurement<long>> Observe(Func<PartitionProgress, long> value)
    {
        foreach (var progress in Receivers.Values)
        {
            if (progress() is { } p)
            {
                yield return new Measurement<long>(value(p), new KeyValuePair<string, object?>("topic", p.Topic),
                    new KeyValuePair<string, object?>("partition", p.Partition), new KeyValuePair<string, object?>("group", p.Group));
            }
        }
    }

    private sealed class Registration(object receiver) : IDisposable
    {
        public void Dispose() => Receivers.TryRemove(receiver, out _);
    }
}

/// <summary>One partition's progress: where it ends and where its commit point is.</summary>
internal sealed record PartitionProgress(string Topic, int Partition, string Group, long HighWatermark, long CommitPoint)
{
    public long Lag => Math.Max(0, HighWatermark - CommitPoint);
}
