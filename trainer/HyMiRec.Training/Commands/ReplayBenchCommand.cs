using System.CommandLine;
using System.Diagnostics;
using Confluent.Kafka;
using HyMiRec.Events;
using HyMiRec.Kafka.Embedded;
using HyMiRec.Kafka.Client;
using HyMiRec.Model.Data;
using HyMiRec.Model.Serving;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Retraining;
using HyMiRec.Training.Training;

namespace HyMiRec.Training.Commands;

/// <summary>
/// `trainer replay-bench`: the retraining input path measured on its own. A dataset's clicks are produced to an
/// embedded Kafka topic, then replayed, decoded and rebuilt into sequences as `trainer retrain` does, and a short
/// training run gives the training throughput on those sequences.
/// </summary>
public static class ReplayBenchCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = DatasetSource.Description, DefaultValueFactory = _ => DatasetSource.Synthetic };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the click topic", DefaultValueFactory = _ => 4 };
        var repeat = new Option<int>("--repeat") { Description = "Produce the dataset's clicks this many times (distinct users per copy)", DefaultValueFactory = _ => 1 };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs for the throughput figure (0 = skip)", DefaultValueFactory = _ => 1 };
        var command = new Command("replay-bench", "Measure click-log replay speed (events/s into sequences) and training throughput")
        {
            data, partitions, repeat, epochs,
        };
        command.SetAction(parse => Cli.Guard(parse, stdout =>
        {
            var dataset = DatasetSource.Load(parse.GetValue(data)!, seed: 42);
            using var kafka = EmbeddedKafkaCluster.Start();
            const string topic = "clicks";
            kafka.CreateTopic(topic, parse.GetValue(partitions));
            var produced = Produce(kafka.BootstrapServers, topic, dataset, Math.Max(1, parse.GetValue(repeat)));
            stdout.WriteLine($"produced {produced.Events:N0} clicks in {produced.Seconds:F1} s ({produced.Events / produced.Seconds:N0}/s)");

            var source = new ReplaySource(kafka.BootstrapServers, new Dictionary<string, string>(), null, null);
            var replay = ClickReplay.Read(source, topic, new ReplayProgressBar(Console.Error));
            var clock = Stopwatch.StartNew();
            var catalog = new ItemCatalog(dataset.ItemIds, dataset.ItemTexts);
            var sequences = ReplayDataset.Build(replay.Clicks, catalog, window: 4, name: "replay-bench");
            var build = clock.Elapsed.TotalSeconds;
            var total = replay.Elapsed.TotalSeconds + build;
            stdout.WriteLine($"replayed {replay.Read:N0} events in {replay.Elapsed.TotalSeconds:F2} s ({replay.EventsPerSecond:N0}/s read + decoded)");
            if (replay.Read < produced.Events)
            {
                // The librdkafka mock broker drops a partition's oldest messages past a few MB, like a retention limit.
                stdout.WriteLine($"note: the embedded log retained {replay.Read:N0} of {produced.Events:N0} events (its per-partition size limit); use more --partitions to keep more");
            }

            stdout.WriteLine($"built {sequences.Users:N0} user sequences in {build:F2} s; log to sequences {replay.Read / total:N0} events/s");

            if (parse.GetValue(epochs) is > 0 and var count)
            {
                var settings = new BenchmarkSettings { Data = "replay", Models = ["hymirec"], Epochs = count };
                using var recommender = (HyMiRecRecommender)ModelCatalog.Create("hymirec", settings, textModel: null, sequences.Training.HasItemText);
                var training = Stopwatch.StartNew();
                recommender.Fit(LeaveOneOutSplit.Create(sequences.Training), new ConsoleTrainingReporter(Console.Error));
                var seconds = training.Elapsed.TotalSeconds;
                stdout.WriteLine($"trained {recommender.EpochsRun} epoch(s) over {recommender.TrainingSequences:N0} sequences in {seconds:F1} s " +
                    $"({recommender.TrainingSequences * recommender.EpochsRun / seconds:N1} sequences/s, including validation and the codebook build)");
            }

            return 0;
        }));
        return command;
    }

    private static (long Events, double Seconds) Produce(string bootstrap, string topic, InteractionDataset dataset, int copies)
    {
        var config = KafkaClientConfigs.Producer(bootstrap, "hymirec-trainer");
        config.LingerMs = 5;
        config.BatchSize = 1 << 20;
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        var clock = Stopwatch.StartNew();
        long events = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        for (var copy = 0; copy < copies; copy++)
        {
            foreach (var user in dataset.Users)
            {
                var userId = copies == 1 ? user.UserId : $"{user.UserId}~{copy}";
                for (var i = 0; i < user.Items.Length; i++)
                {
                    var click = new ClickEvent(userId, dataset.ItemIds[user.Items[i]], DateTimeOffset.FromUnixTimeSeconds(user.Timestamps[i]), ClickEventCodec.DefaultEventType, null);
                    var message = new Message<byte[], byte[]> { Key = ClickEventCodec.EncodeKey(userId), Value = ClickEventCodec.Encode(click) };
                    ProduceOne(producer, topic, message, failures);
                    events++;
                }
            }
        }

        producer.Flush(TimeSpan.FromMinutes(2));
        return failures.TryPeek(out var failure) ? throw new InvalidDataException($"producing to the embedded Kafka failed ({failures.Count} errors): {failure}")
            : (events, clock.Elapsed.TotalSeconds);
    }

    private static void ProduceOne(IProducer<byte[], byte[]> producer, string topic, Message<byte[], byte[]> message, System.Collections.Concurrent.ConcurrentQueue<string> failures)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, message, report =>
                {
                    if (report.Error.IsError)
                    {
                        failures.Enqueue(report.Error.Reason);
                    }
                });
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == Confluent.Kafka.ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }
}
