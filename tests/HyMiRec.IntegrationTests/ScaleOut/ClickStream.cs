using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;

namespace HyMiRec.IntegrationTests.ScaleOut;

/// <summary>
/// A steady, paced stream of clicks over a fixed set of users, each click numbered per user: click n of a user has
/// timestamp <see cref="Epoch"/> + n seconds, so a history shows exactly which clicks it holds, lost or doubled.
/// After <see cref="Mark"/> the first delivered click of each partition is kept as that partition's probe.
/// </summary>
internal sealed class ClickStream : IDisposable
{
    public static readonly DateTimeOffset Epoch = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly IProducer<byte[], byte[]> _producer;
    private readonly string _topic;
    private readonly int[] _produced;
    private readonly ConcurrentDictionary<int, Probe> _probes = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private long _sent;
    private long _delivered;
    private long _failed;
    private long _markTicks = long.MaxValue;

    public ClickStream(string bootstrapServers, string topic, int users)
    {
        _topic = topic;
        Users = Enumerable.Range(0, users).Select(i => $"so-{i:D4}").ToArray();
        _produced = new int[users];
        _producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            // Idempotence keeps each partition (so each user) in order across retries; the default partitioner is
            // the one the silos' queue mapper assumes.
            EnableIdempotence = true,
            LingerMs = 5,
        }).Build();
    }

    public string[] Users { get; }

    public long Sent => Interlocked.Read(ref _sent);

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Failed => Interlocked.Read(ref _failed);

    public IEnumerable<string> Errors => _errors;

    /// <summary>Clicks produced for user <paramref name="index"/> (valid once <see cref="RunAsync"/> has returned).</summary>
    public int ProducedFor(int index) => _produced[index];

    public static int SequenceOf(DateTimeOffset timestamp) => checked((int)(timestamp - Epoch).TotalSeconds);

    /// <summary>From now on, the first delivered click of each partition becomes its probe.</summary>
    public void Mark() => Interlocked.Exchange(ref _markTicks, Stopwatch.GetTimestamp());

    public Probe? ProbeOf(int partition) => _probes.TryGetValue(partition, out var probe) ? probe : null;

    /// <summary>Sends clicks at <paramref name="rate"/> per second until <paramref name="stop"/>, users drawn at random (fixed seed); then waits for every acknowledgement.</summary>
    public async Task RunAsync(double rate, CancellationToken stop)
    {
        var random = new Random(7);
        var items = TestModel.Dataset.ItemIds;
        var clock = Stopwatch.StartNew();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate) - clock.Elapsed;
            if (due > TimeSpan.FromMilliseconds(1))
            {
                // Pacing against the start time, so short delays do not drift.
                try
                {
                    await Task.Delay(due, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            var user = random.Next(Users.Length);
            var sequence = _produced[user]++;
            var item = items[1 + ((user * 7) + sequence) % (items.Length - 1)];
            var click = new ClickEvent(Users[user], item, Epoch.AddSeconds(sequence), "click", null);
            var message = new Message<byte[], byte[]> { Key = ClickEventCodec.EncodeKey(click.UserId), Value = ClickEventCodec.Encode(click) };
            var sentAt = Stopwatch.GetTimestamp();
            _producer.Produce(_topic, message, report => OnDelivered(report, click.UserId, sequence, sentAt));
            Interlocked.Increment(ref _sent);
        }

        // Every click must be acknowledged before the histories are compared with what was produced.
        await Task.Run(() => _producer.Flush(TimeSpan.FromSeconds(30)), CancellationToken.None);
    }

    private void OnDelivered(DeliveryReport<byte[], byte[]> report, string user, int sequence, long sentAt)
    {
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref _failed);
            _errors.Enqueue($"{user}#{sequence}: {report.Error.Reason}");
            return;
        }

        Interlocked.Increment(ref _delivered);
        // Reports of one partition arrive in send order, so the first one after the mark is the earliest click sent after it.
        if (sentAt >= Interlocked.Read(ref _markTicks))
        {
            _probes.TryAdd(report.Partition.Value, new Probe(report.Partition.Value, user, sequence));
        }
    }

    public void Dispose() => _producer.Dispose();

    public sealed record Probe(int Partition, string User, int Sequence);
}
