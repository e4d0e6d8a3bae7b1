using HyMiRec.Kafka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace HyMiRec.Kafka.Streaming;

/// <summary>
/// Builds the Kafka click stream provider's parts. The queue count is the click topic's partition count, read from
/// the cluster when Orleans first asks for the mapper.
/// </summary>
public sealed class KafkaQueueAdapterFactory : IQueueAdapterFactory, IDisposable
{
    private readonly string _name;
    private readonly KafkaConnection _connection;
    private readonly ILoggerFactory _loggerFactory;
    private readonly Lazy<KafkaPartitionQueueMapper> _mapper;
    private readonly KafkaProducer _producer;
    private readonly PerStreamQueueAdapterCache _cache;
    private readonly Lazy<KafkaClickConsumer> _consumer;
    private readonly IStreamFailureHandler _failureHandler = new NoOpStreamDeliveryFailureHandler(faultOnError: false);

    public KafkaQueueAdapterFactory(string name, KafkaConnection connection, KafkaProducer producer, ILoggerFactory loggerFactory)
    {
        _name = name;
        _connection = connection;
        _loggerFactory = loggerFactory;
        _mapper = new Lazy<KafkaPartitionQueueMapper>(() => new KafkaPartitionQueueMapper(connection.Options.ClickTopic, connection.GetClickPartitionCount()));
        // The silo's one producer: its dead letters and produced clicks are flushed when the silo's services go.
        _producer = producer;
        _consumer = new Lazy<KafkaClickConsumer>(() => new KafkaClickConsumer(connection, loggerFactory.CreateLogger<KafkaClickConsumer>()));
        // Room for a few reads of user batches; past it the agent stops reading the partition until deliveries catch up.
        _cache = new PerStreamQueueAdapterCache(connection.Options.MaxBatchSize * 4, TimeSpan.FromMinutes(1));
    }

    public static KafkaQueueAdapterFactory Create(IServiceProvider services, string name) =>
        ActivatorUtilities.CreateInstance<KafkaQueueAdapterFactory>(services, name);

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken)
    {
        IQueueAdapter adapter = new KafkaQueueAdapter(_name, _connection, _mapper.Value, _producer.Producer, _consumer.Value, _loggerFactory);
        return Task.FromResult(adapter);
    }

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper.Value;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult(_failureHandler);

    public void Dispose()
    {
        if (_consumer.IsValueCreated)
        {
            _consumer.Value.Dispose();
        }
    }
}
