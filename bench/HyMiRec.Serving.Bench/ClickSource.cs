using System.Diagnostics;
using Confluent.Kafka;
using HyMiRec.Events;

namespace HyMiRec.Serving.Bench;

/// <summary>
/// Produces clicks on catalog items, round-robin over users, each stamped with the current time when it is handed to
/// the producer, so a click's timestamp is its produce time (the click-to-interest latency is produce-to-update).
/// </summary>
internal sealed class ClickSource(string bootstrapServers, string topic, IReadOnlyList<string> itemIds, int users, string userPrefix = "user-") : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
    {
        BootstrapServers = bootstrapServers,
        LingerMs = 1,
        EnableIdempotence = true,
    }).Build();

    private long _next;

    /// <summary>Produces <paramref name="count"/> clicks as fast as the producer takes them.</summary>
    public void Burst(int count)
    {
        for (var i = 0; i < count; i++)
        {
            ProduceNext();
        }

        Flush();
    }

    /// <summary>Produces <paramref name="count"/> clicks at <paramref name="rate"/> per second, paced in 5 ms steps.</summary>
    public async Task PacedAsync(int count, double rate, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var sent = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        while (sent < count)
        {
            var due = Math.Min(count, (long)(clock.Elapsed.TotalSeconds * rate) + 1);
            for (; sent < due; sent++)
            {
                ProduceNext();
            }

            if (sent < count)
            {
                await timer.WaitForNextTickAsync(cancellation);
            }
        }

        Flush();
    }

    public void Dispose() => _producer.Dispose();

    private void ProduceNext()
    {
        var n = _next++;
        var user = $"{userPrefix}{n % users}";
        // Index 0 of a catalog is padding; real items are 1..Count-1.
        var item = itemIds[1 + (int)((n / users) + (n % users)) % (itemIds.Count - 1)];
        while (true)
        {
            var click = new ClickEvent(user, item, DateTimeOffset.UtcNow, "click", null);
            try
            {
                _producer.Produce(topic, new Message<byte[], byte[]> { Key = ClickEventCodec.EncodeKey(user), Value = ClickEventCodec.Encode(click) });
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == Confluent.Kafka.ErrorCode.Local_QueueFull)
            {
                _producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    private void Flush()
    {
        if (_producer.Flush(TimeSpan.FromMinutes(2)) > 0)
        {
            throw new TimeoutException("the embedded Kafka did not acknowledge every click within 2 minutes");
        }
    }
}
