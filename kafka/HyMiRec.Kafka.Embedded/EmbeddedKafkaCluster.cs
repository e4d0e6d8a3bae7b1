using System.Runtime.InteropServices;

namespace HyMiRec.Kafka.Embedded;

/// <summary>
/// librdkafka's in-process mock Kafka cluster: real brokers speaking the Kafka protocol on 127.0.0.1, data kept in
/// memory only. Any Kafka client (this process or another) can connect to <see cref="BootstrapServers"/>.
/// Meant for development and tests; production points <c>Kafka:BootstrapServers</c> at a real cluster.
/// librdkafka's mock brokers keep only the newest 5 MiB (or 100,000 message sets) of each partition.
/// </summary>
public sealed class EmbeddedKafkaCluster : IAsyncDisposable, IDisposable
{
    private const int ProducerType = 0;
    private const int ErrorBufferSize = 512;
    private readonly Lock _gate = new();
    private IntPtr _handle;
    private IntPtr _cluster;

    private EmbeddedKafkaCluster(IntPtr handle, IntPtr cluster, string bootstrapServers, int brokers)
    {
        _handle = handle;
        _cluster = cluster;
        BootstrapServers = bootstrapServers;
        Brokers = brokers;
    }

    /// <summary>Comma-separated host:port list of the mock brokers.</summary>
    public string BootstrapServers { get; }

    public int Brokers { get; }

    /// <summary>The librdkafka file the mock cluster runs in.</summary>
    public static string NativeLibraryPath => LibrdkafkaNative.LoadedPath;

    /// <summary>Starts a mock cluster of <paramref name="brokers"/> brokers.</summary>
    public static EmbeddedKafkaCluster Start(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        LibrdkafkaNative.EnsureLoaded();

        var conf = LibrdkafkaNative.rd_kafka_conf_new();
        var errors = Marshal.AllocHGlobal(ErrorBufferSize);
        try
        {
            // The hosting client never talks to a broker itself; keep its own log quiet.
            if (LibrdkafkaNative.rd_kafka_conf_set(conf, "log_level", "3", errors, ErrorBufferSize) != 0)
            {
                throw new InvalidOperationException("librdkafka rejected log_level: " + Marshal.PtrToStringUTF8(errors));
            }

            var handle = LibrdkafkaNative.rd_kafka_new(ProducerType, conf, errors, ErrorBufferSize);
            if (handle == IntPtr.Zero)
            {
                LibrdkafkaNative.rd_kafka_conf_destroy(conf);
                throw new InvalidOperationException("rd_kafka_new failed: " + Marshal.PtrToStringUTF8(errors));
            }

            // rd_kafka_new owns conf from here on.
            var cluster = LibrdkafkaNative.rd_kafka_mock_cluster_new(handle, brokers);
            if (cluster == IntPtr.Zero)
            {
                LibrdkafkaNative.rd_kafka_destroy(handle);
                throw new InvalidOperationException($"rd_kafka_mock_cluster_new({brokers}) failed (librdkafka at {NativeLibraryPath}).");
            }

            var bootstraps = Marshal.PtrToStringUTF8(LibrdkafkaNative.rd_kafka_mock_cluster_bootstraps(cluster));
            if (string.IsNullOrEmpty(bootstraps))
            {
                LibrdkafkaNative.rd_kafka_mock_cluster_destroy(cluster);
                LibrdkafkaNative.rd_kafka_destroy(handle);
                throw new InvalidOperationException("The mock cluster reported no bootstrap servers.");
            }

            return new EmbeddedKafkaCluster(handle, cluster, bootstraps, brokers);
        }
        finally
        {
            Marshal.FreeHGlobal(errors);
        }
    }

    /// <summary>Creates a topic; the mock cluster holds replicas in memory, so the factor is capped at the broker count.</summary>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(replicationFactor, Brokers);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_cluster == IntPtr.Zero, this);
            var error = LibrdkafkaNative.rd_kafka_mock_topic_create(_cluster, topic, partitions, replicationFactor);
            if (error != 0)
            {
                var reason = Marshal.PtrToStringUTF8(LibrdkafkaNative.rd_kafka_err2str(error));
                throw new InvalidOperationException($"Creating topic '{topic}' ({partitions} partitions) failed: {reason} ({error}).");
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_cluster != IntPtr.Zero)
            {
                LibrdkafkaNative.rd_kafka_mock_cluster_destroy(_cluster);
                _cluster = IntPtr.Zero;
            }

            if (_handle != IntPtr.Zero)
            {
                LibrdkafkaNative.rd_kafka_destroy(_handle);
                _handle = IntPtr.Zero;
            }
        }
    }

    /// <summary>Destroying the brokers joins their threads; done off the caller's thread.</summary>
    public ValueTask DisposeAsync() => new(Task.Run(Dispose));

    public override string ToString() => $"embedded Kafka ({Brokers} broker(s)) at {BootstrapServers}";
}
