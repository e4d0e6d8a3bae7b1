using System.Globalization;
using System.Text;
using Confluent.Kafka;
using HyMiRec.Events;
using HyMiRec.Interfaces;
using HyMiRec.Kafka.Hosting;

namespace HyMiRec.Kafka.Events;

/// <summary>
/// Writes clicks a user grain refused to the dead-letter topic: the click in event format v1 (its key the user id),
/// reason "refused", the grain's detail, and the partition and offset it came from, as the decoder's rejections do.
/// </summary>
public sealed class KafkaClickDeadLetters(KafkaProducer producer) : IClickDeadLetters
{

    public async Task RefuseAsync(ClickEvent click, string reason, CancellationToken cancellation = default)
    {
        var headers = new Headers
        {
            { DeadLetterPublisher.ReasonHeader, Encoding.UTF8.GetBytes(ClickRejection.ToCode(RejectionReason.Refused)) },
            { DeadLetterPublisher.DetailHeader, Encoding.UTF8.GetBytes(reason) },
            { DeadLetterPublisher.SourceTopicHeader, Encoding.UTF8.GetBytes(producer.Connection.Options.ClickTopic) },
            { DeadLetterPublisher.TimeHeader, Encoding.UTF8.GetBytes(DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)) },
        };
        if (click.Source is { } source)
        {
            headers.Add(DeadLetterPublisher.SourcePartitionHeader, Encoding.UTF8.GetBytes(source.Partition.ToString(CultureInfo.InvariantCulture)));
            headers.Add(DeadLetterPublisher.SourceOffsetHeader, Encoding.UTF8.GetBytes(source.Offset.ToString(CultureInfo.InvariantCulture)));
        }

        await producer.Producer.ProduceAsync(
            producer.Connection.Options.DeadLetterTopic,
            new Message<byte[]?, byte[]?> { Key = ClickEventCodec.EncodeKey(click.UserId), Value = ClickEventCodec.Encode(click), Headers = headers },
            cancellation).ConfigureAwait(false);
    }
}
