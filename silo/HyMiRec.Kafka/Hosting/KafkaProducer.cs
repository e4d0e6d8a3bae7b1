using Confluent.Kafka;

namespace HyMiRec.Kafka.Hosting;

/// <summary>
/// The silo's one Kafka producer (idempotent, acks=all, from <see cref="KafkaConnection.CreateProducerConfig"/>),
/// shared by the HTTP intake, the dead-letter writers and the stream adapter: librdkafka producers are thread-safe
/// and batch better together, and one per silo keeps the broker's producer-id count down. Built on first use so a
/// silo that never produces opens no connection for it.
/// </summary>
public sealed class KafkaProducer : IDisposable
{
    private readonly Lazy<IProducer<byte[]?, byte[]?>> _producer;

    public KafkaProducer(KafkaConnection connection)
    {
        Connection = connection;
        _producer = new Lazy<IProducer<byte[]?, byte[]?>>(
            () => new ProducerBuilder<byte[]?, byte[]?>(connection.CreateProducerConfig("hymirec-silo")).Build(),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public KafkaConnection Connection { get; }

    public IProducer<byte[]?, byte[]?> Producer => _producer.Value;

    public void Dispose()
    {
        if (_producer.IsValueCreated)
        {
            // Dead letters and clicks still in librdkafka's buffer are sent before the silo goes.
            _producer.Value.Flush(TimeSpan.FromSeconds(10));
            _producer.Value.Dispose();
        }
    }
}
