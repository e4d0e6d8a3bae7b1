using HyMiRec.Kafka.Embedded;
using HyMiRec.Model.Data;
using HyMiRec.Model.Interests;
using HyMiRec.Model.Serving;
using HyMiRec.Serving.Bench;

// hymirec-serving-bench: end-to-end ingest through the production silo wiring (Kafka provider -> UserGrain ->
// persisted state -> batched inference) against the raw Confluent consume rate of the same topic, per recompute mode.
// See docs/benchmarks-kafka.md. Modes `recompute` and `buckets` (raw forward passes by history length) are in docs/serving.md.
var recompute = args.Length > 0 && args[0] == "recompute";
var buckets = args.Length > 0 && args[0] == "buckets";
BenchArguments options;
HyMiRecOptions layout;
RecomputeBench.Settings? recomputeSettings;
BucketBench.Settings? bucketSettings;
try
{
    // Every command's options are checked here, before the model and the embedded Kafka are set up.
    (layout, args) = ModelLayout.Take(args);
    options = BenchArguments.Parse(recompute || buckets ? [] : args);
    recomputeSettings = recompute ? RecomputeBench.Settings.Parse(args[1..]) : null;
    bucketSettings = buckets ? BucketBench.Settings.Parse(args[1..]) : null;
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(recompute ? RecomputeBench.Usage : buckets ? BucketBench.Usage : BenchArguments.Usage);
    Console.Error.WriteLine(ModelLayout.Usage);
    return 2;
}

var modelDirectory = Path.Combine(Path.GetTempPath(), $"hymirec-serving-bench-{Environment.ProcessId}");
try
{
    // The catalog and untrained model Model:CreateUntrainedIfMissing would write, so clicks hit real catalog items.
    var dataset = SyntheticDataset.Generate(new SyntheticOptions()).Dataset;
    InterestModelStore.CreateUntrained(modelDirectory, dataset, seed: 1, layout);
    Console.WriteLine($"model: {ModelLayout.Describe(layout)}");
    if (bucketSettings is not null)
    {
        return BucketBench.Run(bucketSettings, modelDirectory);
    }

    await using var kafka = EmbeddedKafkaCluster.Start();
    if (recomputeSettings is not null)
    {
        return await RecomputeBench.RunAsync(recomputeSettings, kafka, modelDirectory, dataset.ItemIds);
    }

    using var meter = new ServingMeter();
    var run = new ServingRun(options, kafka, modelDirectory, dataset.ItemIds, meter);
    Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
    var gcSettings = GC.GetConfigurationVariables();
    Console.WriteLine(options.Profile > 0
        ? $"GC settings in effect: {string.Join(", ", gcSettings.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))}"
        : $"GC: server {gcSettings.GetValueOrDefault("ServerGC")}, concurrent {gcSettings.GetValueOrDefault("ConcurrentGC")}, gen0 max budget {gcSettings.GetValueOrDefault("GCGen0MaxBudget")} bytes, DATAS {gcSettings.GetValueOrDefault("GCDynamicAdaptationMode")}");

    Console.WriteLine($"{options.Clicks} clicks for {options.Users} users (after {options.Users} warm-up clicks and {options.Prefill} stored events per user, users {(options.KeepActive ? "left active" : "deactivated")}{(options.Settle && options.Prefill > 0 ? ", settled" : "")}), {options.Partitions} partitions, " +
        $"rate {(options.Rate > 0 ? $"{options.Rate} clicks/s" : "unbounded")}, storage {(options.Storage.Length == 0 ? "in-memory" : "PostgreSQL")}, " +
        $"catalog {dataset.ItemCount} items");
    var results = new List<RunResult>();
    foreach (var mode in options.Modes)
    {
        var result = await run.RunAsync(mode);
        results.Add(result);
        Console.WriteLine($"{mode}: applied in {result.AppliedSeconds:F2} s, raw consume {result.RawSeconds:F2} s");
    }

    Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
    Console.WriteLine();
    Console.WriteLine("| recompute mode | applied s | applied clicks/s | raw Confluent clicks/s (median of 3) | applied / raw | all interests updated s | click-to-interest p50 ms | p99 ms | recomputes | mean batch | stored bytes/event |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var r in results)
    {
        var covered = r.CoveredSeconds is { } c ? $"{c:F2}" : "-";
        var p50 = double.IsNaN(r.LatencyP50) ? "-" : $"{r.LatencyP50:F0}";
        var p99 = double.IsNaN(r.LatencyP99) ? "-" : $"{r.LatencyP99:F0}";
        Console.WriteLine($"| {r.Mode} | {r.AppliedSeconds:F2} | {r.AppliedPerSecond:F0} | {r.RawPerSecond:F0} | {100 * r.AppliedPerSecond / r.RawPerSecond:F2} % | " +
            $"{covered} | {p50} | {p99} | {r.Recomputes} | {r.MeanBatchSize:F1} | {(r.BytesPerEvent is { } b ? $"{b:F1}" : "-")} |");
    }

    foreach (var r in results.Where(r => r.Reads is not null))
    {
        var reads = r.Reads!;
        Console.WriteLine($"{r.Mode}: {reads.Sent} GET recommendations at {options.ReadRate}/s during the clicks: p50 {reads.P50:F1} ms, p99 {reads.P99:F1} ms, " +
            $"max {reads.Max:F1} ms, {reads.Failed} not 200 ({string.Join(", ", reads.Statuses.Select(s => $"{s.Key}: {s.Value}"))})");
    }

    foreach (var r in results)
    {
        var worst = r.Timeline.OrderByDescending(t => t.Max).Take(5).ToArray();
        Console.WriteLine($"{r.Mode}: slowest seconds: {string.Join("; ", worst.Select(t => $"s{t.Second} max {t.Max:F0} ms ({t.Count} clicks)"))}");
        var shown = worst.Select(t => t.Second).Concat(Enumerable.Range(0, 8)).ToHashSet();
        foreach (var t in r.Timeline.Where(t => shown.Contains(t.Second)))
        {
            var rs = r.Runtime.Seconds.FirstOrDefault(s => s.Second == t.Second);
            var runtime = rs is null ? "" : $"; JIT {rs.JitMethods} methods {rs.JitMs:F0} ms, GC paused {rs.GcPauseMs:F0} ms, CPU {rs.CpuSeconds:F2} s, threads {rs.MaxThreads}, queued {rs.MaxQueued}";
            Console.WriteLine($"{r.Mode}:   s{t.Second}: {t.Count} clicks, p50 {t.P50:F0} ms, p99 {t.P99:F0} ms, max {t.Max:F0} ms{runtime}");
        }

        if (!double.IsNaN(r.Stages.HistoryP50))
        {
            Console.WriteLine($"{r.Mode}: click to durable append p50 {r.Stages.HistoryP50:F1} ms, p99 {r.Stages.HistoryP99:F1} ms; " +
                $"recompute seen by the grain p50 {r.Stages.RecomputeP50:F1} ms, p99 {r.Stages.RecomputeP99:F1} ms");
        }

        var rt = r.Runtime;
        Console.WriteLine($"{r.Mode}: measured phase used {rt.CpuSeconds:F1} CPU s; GC paused {rt.GcPauseMs:F0} ms (gen0/1/2 {rt.Gen0}/{rt.Gen1}/{rt.Gen2}); " +
            $"thread pool at most {rt.MaxThreads} threads, {rt.MaxQueuedWorkItems} queued items; heap {rt.HeapBytes / 1048576} MiB, last GC promoted {rt.LastPromotedBytes / 1048576} MiB; " +
            $"allocated {rt.AllocatedBytes / 1048576} MiB ({rt.AllocatedBytes / 1024.0 / r.Clicks:F1} KiB per click)");
        foreach (var generation in rt.Pauses.GroupBy(p => p.Generation).OrderBy(g => g.Key))
        {
            double[] pauses = [.. generation.Select(p => p.PauseMs).Order()];
            Console.WriteLine($"{r.Mode}: gen{generation.Key} collections {pauses.Length}: pause median {ServingMeter.Rank(pauses, 0.5):F0} ms, max {pauses[^1]:F0} ms; " +
                $"promoted median {generation.Select(p => p.PromotedMiB).Order().ElementAt(pauses.Length / 2):F1} MiB");
        }
    }

    if (options.Out is { } outFile)
    {
        BenchJson.Write(outFile, options, results, ModelLayout.Describe(layout));
        Console.WriteLine($"wrote {outFile}");
    }

    return 0;
}
catch (TimeoutException e)
{
    Console.Error.WriteLine($"error: {e.Message} (raise --timeout-s or lower --clicks)");
    return 1;
}
finally
{
    if (Directory.Exists(modelDirectory))
    {
        Directory.Delete(modelDirectory, recursive: true);
    }
}
