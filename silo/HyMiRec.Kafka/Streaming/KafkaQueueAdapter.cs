using Confluent.Kafka;
using HyMiRec.Events;
using HyMiRec.Interfaces;
using HyMiRec.Kafka.Events;
using HyMiRec.Kafka.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace HyMiRec.Kafka.Streaming;

/// <summary>
/// Orleans side of the click topic: producing writes format-v1 JSON keyed by user id to the user's partition;
/// each queue (partition) gets its own <see cref="KafkaQueueReceiver"/>, all reading through the silo's one consumer.
/// </summary>
internal sealed class KafkaQueueAdapter : IQueueAdapter
{
    private readonly KafkaConnection _connection;
    private readonly KafkaPartitionQueueMapper _mapper;
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly KafkaClickConsumer _consumer;
    private readonly ClickEventCodec _codec;
    private readonly DeadLetterPublisher _deadLetters;
    private readonly ILoggerFactory _loggerFactory;

    public KafkaQueueAdapter(string name, KafkaConnection connection, KafkaPartitionQueueMapper mapper, IProducer<byte[]?, byte[]?> producer, KafkaClickConsumer consumer, ILoggerFactory loggerFactory)
    {
        _consumer = consumer;
        Name = name;
        _connection = connection;
        _mapper = mapper;
        _producer = producer;
        _loggerFactory = loggerFactory;
        _codec = new ClickEventCodec(connection.Options.MaxMessageBytes, connection.Options.MaxFutureSkew);
        _deadLetters = new DeadLetterPublisher(producer, connection.Options.DeadLetterTopic);
    }

    public string Name { get; }

    /// <summary>The cache only holds recent messages; a subscriber cannot ask to rewind the Kafka log.</summary>
    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public async Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (token is not null)
        {
            throw new ArgumentException("Kafka assigns offsets itself; a sequence token cannot be given.", nameof(token));
        }

        var streamNamespace = streamId.GetNamespace();
        if (streamNamespace != StreamNames.ClickNamespace)
        {
            throw new ArgumentException($"The {Name} provider carries only the '{StreamNames.ClickNamespace}' namespace, not '{streamNamespace}'.", nameof(streamId));
        }

        var userId = streamId.GetKeyAsString();
        var partition = new TopicPartition(_connection.Options.ClickTopic, _mapper.PartitionFor(streamId));
        var writes = new List<Task>();
        foreach (var item in events)
        {
            if (item is not ClickEvent click)
            {
                throw new ArgumentException($"The {Name} provider carries {nameof(ClickEvent)}s, not {item?.GetType().Name ?? "null"}.", nameof(events));
            }

            if (click.UserId != userId)
            {
                throw new ArgumentException($"Click of user '{click.UserId}' was sent on the stream of user '{userId}'.", nameof(events));
            }

            var message = new Message<byte[]?, byte[]?> { Key = ClickEventCodec.EncodeKey(userId), Value = ClickEventCodec.Encode(click) };
            writes.Add(_producer.ProduceAsync(partition, message));
        }

        await Task.WhenAll(writes);
    }

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId)
    {
        var partition = KafkaPartitionQueueMapper.PartitionOf(queueId);
        var logger = _loggerFactory.CreateLogger<KafkaQueueReceiver>();
        return new KafkaQueueReceiver(partition, _consumer, _connection.Options, _codec, _deadLetters, logger);
    }
}
