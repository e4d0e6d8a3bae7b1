using HyMiRec.Interfaces;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace HyMiRec.Kafka.Streaming;

/// <summary>One Kafka message as Orleans carries it; the sequence number is the Kafka offset within the queue's partition.</summary>
[GenerateSerializer, Alias("hymirec.kafka-click-batch.v1")]
public sealed class KafkaClickBatchContainer : IBatchContainer
{
    public KafkaClickBatchContainer(StreamId streamId, ClickEvent click, long offset)
    {
        StreamId = streamId;
        Click = click;
        Token = new EventSequenceTokenV2(offset);
    }

    [Id(0)]
    public StreamId StreamId { get; private set; }

    [Id(1)]
    public ClickEvent Click { get; private set; }

    [Id(2)]
    public EventSequenceTokenV2 Token { get; private set; }

    public StreamSequenceToken SequenceToken => Token;

    public long Offset => Token.SequenceNumber;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        if (Click is T click)
        {
            yield return Tuple.Create(click, (StreamSequenceToken)Token);
        }
    }

    public bool ImportRequestContext() => false;

    public override string ToString() => $"{StreamId} @ {Token}";
}
