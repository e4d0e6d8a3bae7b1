using System.Globalization;
using System.Text;
using Confluent.Kafka;
using HyMiRec.Events;

namespace HyMiRec.Kafka.Events;

/// <summary>
/// Writes a rejected message to the dead-letter topic unchanged (same key and value bytes, same headers) plus
/// headers saying why and where it came from, so it can be inspected, fixed and replayed.
/// </summary>
public sealed class DeadLetterPublisher
{
    public const string ReasonHeader = "dlq-reason";
    public const string DetailHeader = "dlq-detail";
    public const string SourceTopicHeader = "dlq-source-topic";
    public const string SourcePartitionHeader = "dlq-source-partition";
    public const string SourceOffsetHeader = "dlq-source-offset";
    public const string TimeHeader = "dlq-time";

    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly TimeProvider _time;

    public DeadLetterPublisher(IProducer<byte[]?, byte[]?> producer, string topic, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        _producer = producer;
        Topic = topic;
        _time = time ?? TimeProvider.System;
    }

    public string Topic { get; }

    /// <summary>Completes when the dead-letter topic has acknowledged the message; throws if it could not.</summary>
    public Task<DeliveryResult<byte[]?, byte[]?>> PublishAsync(ConsumeResult<byte[]?, byte[]?> original, ClickRejection rejection, CancellationToken cancellationToken = default)
    {
        var headers = new Headers();
        if (original.Message.Headers is { } originalHeaders)
        {
            foreach (var header in originalHeaders)
            {
                headers.Add(header.Key, header.GetValueBytes());
            }
        }

        Add(headers, ReasonHeader, rejection.Code);
        Add(headers, DetailHeader, rejection.Detail);
        Add(headers, SourceTopicHeader, original.Topic);
        Add(headers, SourcePartitionHeader, original.Partition.Value.ToString(CultureInfo.InvariantCulture));
        Add(headers, SourceOffsetHeader, original.Offset.Value.ToString(CultureInfo.InvariantCulture));
        Add(headers, TimeHeader, _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        var message = new Message<byte[]?, byte[]?>
        {
            Key = original.Message.Key,
            Value = original.Message.Value,
            Headers = headers,
            Timestamp = original.Message.Timestamp,
        };
        return _producer.ProduceAsync(Topic, message, cancellationToken);
    }

    /// <summary>The last header of that name as text, or null.</summary>
    public static string? ReadHeader(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    private static void Add(Headers headers, string name, string value) => headers.Add(name, Encoding.UTF8.GetBytes(value));
}
