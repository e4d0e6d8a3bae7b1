using System.CommandLine;
using System.Globalization;
using HyMiRec.Client;
using HyMiRec.Interfaces;
using HyMiRec.Kafka.Client;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Retraining;
using HyMiRec.Training.Training;

namespace HyMiRec.Training.Commands;

/// <summary>`trainer retrain`: replay the click log, retrain, gate on the holdout, publish to the model store.</summary>
public static class RetrainCommand
{
    public static Command Create()
    {
        var bootstrap = new Option<string>("--bootstrap") { Description = "Kafka bootstrap servers (host:port[,host:port])", Required = true };
        var topic = new Option<string>("--topic") { Description = "Click topic to replay", DefaultValueFactory = _ => "clicks" };
        var itemsTopic = new Option<string?>("--items-topic") { Description = "Topic of item events (new items, text changes) to add to the catalog" };
        var catalog = new Option<FileInfo?>("--catalog") { Description = "Item catalog file (id<TAB>text lines); default: the current version's catalog" };
        var store = new Option<DirectoryInfo>("--store") { Description = "Model store directory (versions/ and CURRENT)", Required = true };
        var from = new Option<string>("--from") { Description = "'earliest' or an ISO-8601 time: first message time to replay", DefaultValueFactory = _ => "earliest" };
        var until = new Option<string?>("--until") { Description = "ISO-8601 time: replay messages before this time only (default: up to the log end at start)" };
        var warm = new Option<bool>("--warm-start") { Description = "Start from the current version's weights" };
        var keepCodebook = new Option<bool>("--stage2-only") { Description = "Keep the current codebook and Stage-1 embeddings, train Stage 2 only (implies --warm-start; stored user codes stay valid)" };
        var defaults = new GateSettings();
        var gateMetrics = new Option<string>("--gate-metrics")
        {
            Description = "Comma-separated holdout metrics the gate checks (recall@10, ndcg@10, recall@50, ndcg@50)",
            DefaultValueFactory = _ => string.Join(',', GateSettings.DefaultMetrics),
        };
        var tolerance = new Option<double>("--gate-tolerance") { Description = "Largest acceptable drop of a metric's mean: refuse when the CI upper bound of (candidate - current) is below minus this", DefaultValueFactory = _ => defaults.Tolerance };
        var confidence = new Option<double>("--gate-confidence") { Description = "Confidence of the paired bootstrap interval", DefaultValueFactory = _ => defaults.Confidence };
        var resamples = new Option<int>("--gate-resamples") { Description = "Bootstrap resamples of the holdout users", DefaultValueFactory = _ => defaults.Resamples };
        var maxHalfWidth = new Option<double>("--gate-max-halfwidth") { Description = "Refuse as undecidable when a gated metric's CI half-width exceeds this", DefaultValueFactory = _ => defaults.MaxHalfWidth };
        var minUsers = new Option<int>("--gate-min-users") { Description = "Refuse as undecidable with fewer holdout users than this", DefaultValueFactory = _ => defaults.MinUsers };
        var force = new Option<bool>("--force") { Description = "Publish even when the gate refuses (recorded in the manifest)" };
        var model = new Option<string>("--model") { Description = "Architecture when the store is empty (hymirec or a variant)", DefaultValueFactory = _ => "hymirec" };
        var epochs = new Option<int?>("--epochs") { Description = "Override the epoch budget" };
        var batchSize = new Option<int?>("--batch-size") { Description = "Override the batch size" };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "AdamW's decoupled weight decay (default 0; validation chose 0.1 for HyMiRec on ML-1M and 0 on ML-100K, docs/benchmarks.md)" };
        var quick = new Option<bool>("--quick") { Description = "Smaller training budget" };
        var seed = new Option<int>("--seed") { Description = "Random seed (training and the gate's bootstrap)", DefaultValueFactory = _ => 42 };
        var textModel = new Option<DirectoryInfo?>("--text-model") { Description = "LLaMA checkpoint directory: required (the same checkpoint) when the current version uses pretrained text features" };
        var kafkaSettings = new Option<string[]>("--kafka-setting") { Description = "Extra librdkafka setting key=value (repeatable), e.g. security.protocol=SASL_SSL" };
        var clusterConnection = new Option<string?>("--cluster-connection") { Description = "PostgreSQL connection string of an ADO.NET-clustered deployment: tell its model registry" };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "Gateway port of a localhost-clustered silo: tell its model registry" };
        var clusterId = new Option<string>("--cluster-id") { DefaultValueFactory = _ => "hymirec" };
        var serviceId = new Option<string>("--service-id") { DefaultValueFactory = _ => "hymirec" };
        var command = new Command("retrain", "Retrain from the Kafka click log and publish the model if it is not worse on the holdout")
        {
            bootstrap, topic, itemsTopic, catalog, store, from, until, warm, keepCodebook, gateMetrics, tolerance, confidence, resamples, maxHalfWidth, minUsers, force, model, epochs, batchSize, weightDecay, quick, seed,
            textModel, kafkaSettings, clusterConnection, gatewayPort, clusterId, serviceId,
        };
        command.SetAction((parse, cancellation) => Cli.GuardAsync(parse, async stdout =>
        {
            var settings = new RetrainSettings
            {
                Source = new ReplaySource(parse.GetValue(bootstrap)!, KafkaSettings(parse.GetValue(kafkaSettings) ?? []),
                    ParseTime(parse.GetValue(from)!, "--from", allowEarliest: true), parse.GetValue(until) is { } u ? ParseTime(u, "--until", allowEarliest: false) : null),
                ClickTopic = parse.GetValue(topic)!,
                ItemsTopic = parse.GetValue(itemsTopic),
                CatalogFile = parse.GetValue(catalog)?.FullName,
                StoreDirectory = parse.GetValue(store)!.FullName,
                WarmStart = parse.GetValue(warm),
                KeepCodebook = parse.GetValue(keepCodebook),
                Gate = new GateSettings
                {
                    Metrics = [.. parse.GetValue(gateMetrics)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                    Tolerance = parse.GetValue(tolerance),
                    Confidence = parse.GetValue(confidence),
                    Resamples = parse.GetValue(resamples),
                    MaxHalfWidth = parse.GetValue(maxHalfWidth),
                    MinUsers = parse.GetValue(minUsers),
                    Seed = parse.GetValue(seed),
                },
                Force = parse.GetValue(force),
                Model = parse.GetValue(model)!,
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batchSize),
                WeightDecay = parse.GetValue(weightDecay),
                Quick = parse.GetValue(quick),
                Seed = parse.GetValue(seed),
                TextModel = parse.GetValue(textModel)?.FullName,
            };
            Cli.CheckFlags(parse, Cli.Flags(epochs, batchSize, weightDecay),
                () => ModelCatalog.CheckSettings(settings.Training));
            var connection = await ConnectAsync(parse.GetValue(clusterConnection), parse.GetValue(gatewayPort), parse.GetValue(clusterId)!, parse.GetValue(serviceId)!, cancellation)
                .ConfigureAwait(false);
            await using (connection)
            {
                var announce = connection is null ? null : (Func<ModelRegistration, Task>)(r => connection.ClusterClient.GetGrain<IModelRegistryGrain>(0).PublishAsync(r));
                var reporter = new ConsoleTrainingReporter(Console.Error);
                TorchThreads.Apply(threads: null, reporter); // libtorch's own thread count; the C heap kept as in train and benchmark
                var retrainer = new Retrainer(settings, reporter, new ReplayProgressBar(Console.Error));
                var outcome = await retrainer.RunAsync(announce, cancellation).ConfigureAwait(false);
                var gate = outcome.Manifest.Gate!;
                stdout.WriteLine($"version {outcome.Manifest.ModelVersion}: {gate.Reason}");
                if (gate.Forced)
                {
                    // Loud on purpose: a forced publish skips the only check between a regression and every user.
                    Console.Error.WriteLine($"WARNING: --force published version {outcome.Manifest.ModelVersion} although the gate refused it; see the gate in its manifest.json");
                }

                WriteGate(stdout, gate.Paired);
                stdout.WriteLine($"replay {outcome.Replay.Read:N0} events at {outcome.Replay.EventsPerSecond:N0}/s; training {outcome.TrainingSequencesPerSecond:N1} sequences/s");
                foreach (var (name, value) in outcome.Candidate)
                {
                    var before = outcome.Current is { } current ? $"  (current {current[name]:F4})" : string.Empty;
                    stdout.WriteLine($"holdout {name} {value:F4}{before}");
                }

                if (outcome.Published && connection is not null)
                {
                    stdout.WriteLine("the cluster's model registry was told; silos switch on their next poll");
                }
            }

            return 0;
        }));
        return command;
    }

    /// <summary>One line per gated metric, so an operator sees which metric decided and how sure the interval was.</summary>
    private static void WriteGate(TextWriter stdout, HyMiRec.Model.Serving.PairedGate? paired)
    {
        if (paired is null)
        {
            return;
        }

        var percent = (paired.Confidence * 100).ToString("0.#", CultureInfo.InvariantCulture);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gate: paired bootstrap over {paired.Users} holdout users, {paired.Resamples} resamples, seed {paired.Seed}, tolerance {paired.Tolerance:F4}, max half-width {paired.MaxHalfWidth:F4}, min users {paired.MinUsers}"));
        foreach (var r in paired.Metrics)
        {
            var verdict = r.Upper < -paired.Tolerance ? "WORSE" : r.HalfWidth > paired.MaxHalfWidth ? "undecided" : "ok";
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"gate {r.Metric}: candidate {r.Candidate:F4} current {r.Current:F4} difference {r.Difference:+0.0000;-0.0000} {percent}% CI [{r.Lower:F4}, {r.Upper:F4}] {verdict}"));
        }
    }

    private static async Task<ClientConnection?> ConnectAsync(string? connectionString, int? gatewayPort, string clusterId, string serviceId, CancellationToken cancellation)
    {
        if (connectionString is not null && gatewayPort is not null)
        {
            throw new UsageException("give --cluster-connection or --gateway-port, not both");
        }

        return connectionString is not null ? await ClientConnection.ConnectAdoNetAsync(connectionString, clusterId, serviceId, cancellation).ConfigureAwait(false)
            : gatewayPort is { } port ? await ClientConnection.ConnectLocalhostAsync(port, clusterId, serviceId, cancellation).ConfigureAwait(false)
            : null;
    }

    private static Dictionary<string, string> KafkaSettings(string[] pairs)
    {
        try
        {
            return KafkaSettingPairs.Parse(pairs, "--kafka-setting");
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message, e);
        }
    }

    private static DateTimeOffset? ParseTime(string value, string option, bool allowEarliest) =>
        allowEarliest && value == "earliest" ? null
            : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time
            : throw new UsageException($"{option} '{value}' is not {(allowEarliest ? "'earliest' or " : string.Empty)}an ISO-8601 time");
}
