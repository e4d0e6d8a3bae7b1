using Confluent.Kafka;
using HyMiRec.Events;
using HyMiRec.Interfaces;
using HyMiRec.Kafka.Hosting;

namespace HyMiRec.Kafka.Events;

/// <summary>
/// The click topic as the HTTP intake appends to it: each click in format v1 (<see cref="ClickEventCodec"/>), keyed
/// by user id so the default partitioner puts it where the silo reads that user's clicks. A click counts as
/// delivered only when the broker acknowledged it (acks=all); librdkafka gives up after Kafka:ProduceTimeoutMs.
/// </summary>
public sealed class KafkaClickLog(KafkaProducer producer) : IClickLog
{
    public async Task<ClickLogWrite> AppendAsync(IReadOnlyList<ClickEvent> clicks)
    {
        var topic = producer.Connection.Options.ClickTopic;
        // All at once: the idempotent producer keeps a partition's messages in this order, and they share batches.
        var writes = clicks.Select(c => ProduceAsync(topic, c)).ToArray();
        var failures = await Task.WhenAll(writes).ConfigureAwait(false);
        var failure = failures.FirstOrDefault(f => f is not null);
        return new ClickLogWrite(failures.Select(f => f is null).ToArray(), failure);
    }

    /// <summary>Null when the broker acknowledged the click, otherwise why not.</summary>
    private async Task<string?> ProduceAsync(string topic, ClickEvent click)
    {
        try
        {
            var message = new Message<byte[]?, byte[]?> { Key = ClickEventCodec.EncodeKey(click.UserId), Value = ClickEventCodec.Encode(click) };
            var result = await producer.Producer.ProduceAsync(topic, message).ConfigureAwait(false);
            return result.Status == PersistenceStatus.Persisted ? null : $"delivery status {result.Status}";
        }
        catch (KafkaException e)
        {
            return $"{e.Error.Code}: {e.Error.Reason}";
        }
    }
}
