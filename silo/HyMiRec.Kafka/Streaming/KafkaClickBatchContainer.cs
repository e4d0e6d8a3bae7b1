using HyMiRec.Events;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace HyMiRec.Kafka.Streaming;

/// <summary>
/// All clicks of one user from one read of a Kafka partition, in offset order, delivered to the user grain as one
/// batch (one grain turn and one journal append however many clicks). The sequence number is the first click's
/// offset; the receiver orders a read's containers by it, so the cache sees increasing tokens.
/// </summary>
[GenerateSerializer, Alias("hymirec.kafka-click-batch.v2")]
public sealed class KafkaClickBatchContainer : IBatchContainer
{
    public KafkaClickBatchContainer(StreamId streamId, ClickEvent[] clicks)
    {
        if (clicks.Length == 0 || clicks.Any(c => c.Source is null))
        {
            throw new ArgumentException("a container holds at least one click, each with its log position", nameof(clicks));
        }

        StreamId = streamId;
        Clicks = clicks;
        Token = new EventSequenceTokenV2(clicks[0].Source!.Offset);
    }

    [Id(0)]
    public StreamId StreamId { get; private set; }

    [Id(1)]
    public ClickEvent[] Clicks { get; private set; }

    [Id(2)]
    public EventSequenceTokenV2 Token { get; private set; }

    public StreamSequenceToken SequenceToken => Token;

    /// <summary>The first click's offset: the commit point cannot pass it until the container is delivered.</summary>
    public long Offset => Token.SequenceNumber;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        for (var i = 0; i < Clicks.Length; i++)
        {
            if (Clicks[i] is T click)
            {
                yield return Tuple.Create(click, (StreamSequenceToken)Token.CreateSequenceTokenForEvent(i));
            }
        }
    }

    public bool ImportRequestContext() => false;

    public override string ToString() => $"{StreamId} @ {Token} ({Clicks.Length} clicks)";
}
