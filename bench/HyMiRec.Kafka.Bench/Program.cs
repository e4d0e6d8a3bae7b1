using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using HyMiRec.Events;
using HyMiRec.Kafka.Bench;
using HyMiRec.Kafka.Client;
using HyMiRec.Kafka.Embedded;
using HyMiRec.Kafka.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// hymirec-kafka-bench [messages] [users] [partitions]: raw Confluent consume rate vs. the rate through the Orleans
// provider into grains, on an embedded Kafka in this process. Prints a markdown table row set.
var messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
var users = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
var partitions = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
if (messages < 1 || users < 1 || partitions < 1)
{
    Console.Error.WriteLine("error: messages, users and partitions must be positive");
    return 2;
}

await using var kafka = EmbeddedKafkaCluster.Start();
const string topic = "clicks";
kafka.CreateTopic(topic, partitions);
kafka.CreateTopic("clicks.dlq", 1);

var clock = Stopwatch.StartNew();
using (var producer = new ProducerBuilder<byte[], byte[]>(BenchProducer(kafka.BootstrapServers)).Build())
{
    var start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
    for (var i = 0; i < messages; i++)
    {
        var user = $"user-{i % users}";
        var click = new ClickEvent(user, $"item-{i % 5000}", start.AddMilliseconds(i), "click", null);
        while (true)
        {
            try
            {
                producer.Produce(topic, new Message<byte[], byte[]> { Key = ClickEventCodec.EncodeKey(user), Value = ClickEventCodec.Encode(click) });
                break;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == Confluent.Kafka.ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    if (producer.Flush(TimeSpan.FromMinutes(2)) > 0)
    {
        Console.Error.WriteLine("error: the embedded Kafka did not acknowledge every click within 2 minutes");
        return 1;
    }
}

using (var probe = new ConsumerBuilder<byte[], byte[]>(KafkaClientConfigs.Consumer(kafka.BootstrapServers, "hymirec-kafka-bench", "probe")).Build())
{
    var marks = Enumerable.Range(0, partitions)
        .Select(p => probe.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)))
        .ToList();
    if (marks.Any(w => w.Low.Value > 0))
    {
        // librdkafka's mock partitions keep only their newest 5 MiB / 100,000 message sets.
        Console.Error.WriteLine($"error: the embedded Kafka dropped old clicks (offsets {string.Join(", ", marks.Select(w => $"{w.Low.Value}..{w.High.Value}"))}); use more partitions or fewer messages");
        return 2;
    }
}

var produceSeconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"produced {messages} clicks for {users} users to {partitions} partitions in {produceSeconds:F2} s");

double Consume(bool decode)
{
    var codec = new ClickEventCodec();
    using var consumer = new ConsumerBuilder<byte[], byte[]>(RawConsumer(kafka.BootstrapServers, "raw-" + decode)).Build();
    consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
    var watch = Stopwatch.StartNew();
    var read = 0;
    while (read < messages)
    {
        var result = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException($"raw consumer stalled at {read}/{messages}");
        if (decode && !codec.Decode(result.Message.Key, result.Message.Value, new LogPosition(result.Partition.Value, result.Offset.Value)).IsAccepted)
        {
            throw new InvalidDataException("benchmark data failed to decode");
        }

        read++;
    }

    return watch.Elapsed.TotalSeconds;
}

var rawSeconds = Consume(decode: false);
var decodeSeconds = Consume(decode: true);

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.UseOrleans(silo => silo
    .UseLocalhostClustering()
    .AddKafkaClickStreams(options =>
    {
        options.BootstrapServers = kafka.BootstrapServers;
        options.ClickTopic = topic;
        options.ConsumerGroup = "bench-silo";
    }));
using var host = builder.Build();
await host.StartAsync();
var siloClock = Stopwatch.StartNew();
var deadline = TimeSpan.FromMinutes(10);
using (var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20)))
{
    while (CountingGrain.Applied < messages && siloClock.Elapsed < deadline)
    {
        await timer.WaitForNextTickAsync();
    }
}

var siloSeconds = siloClock.Elapsed.TotalSeconds;
var applied = CountingGrain.Applied;
await host.StopAsync();
if (applied < messages)
{
    Console.Error.WriteLine($"error: only {applied}/{messages} clicks reached the grains within {deadline.TotalMinutes} min");
    return 1;
}

Console.WriteLine();
Console.WriteLine("| path | seconds | clicks/s |");
Console.WriteLine("|---|---:|---:|");
Console.WriteLine($"| raw Confluent consumer, bytes only | {rawSeconds:F2} | {messages / rawSeconds:F0} |");
Console.WriteLine($"| raw Confluent consumer + ClickEventCodec | {decodeSeconds:F2} | {messages / decodeSeconds:F0} |");
Console.WriteLine($"| Orleans provider -> {users} implicitly subscribed grains (1 silo) | {siloSeconds:F2} | {messages / siloSeconds:F0} |");
return 0;

static ProducerConfig BenchProducer(string bootstrapServers)
{
    var config = KafkaClientConfigs.Producer(bootstrapServers, "hymirec-kafka-bench");
    config.LingerMs = 5;
    return config;
}

static ConsumerConfig RawConsumer(string bootstrapServers, string groupId)
{
    var config = KafkaClientConfigs.Consumer(bootstrapServers, "hymirec-kafka-bench", groupId);
    config.EnableAutoCommit = false;
    return config;
}
