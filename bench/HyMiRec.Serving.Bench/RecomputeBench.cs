using System.Diagnostics;
using System.Globalization;
using HyMiRec.Events;
using HyMiRec.Grains.Inference;
using HyMiRec.Grains.Users;
using HyMiRec.Interfaces;
using HyMiRec.Kafka.Embedded;
using HyMiRec.Model.Runtime;
using HyMiRec.Model.Serving;
using HyMiRec.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HyMiRec.Serving.Bench;

/// <summary>
/// `hymirec-serving-bench recompute`: interest recompute latency through the grains (append one click with
/// RecomputeMode EveryEvent, then read the interests, which waits for the recompute that click started) at several
/// concurrency levels, and the users/s that reaches against the raw model forward pass called directly at its best
/// batch size, and with kept history states (one new event per user and pass). `--out FILE.json` writes
/// {"concurrency": [...], "raw": [...], "pool_over_raw": x, "raw_kept_states": [...], "pool_over_raw_kept_states": y}.
/// </summary>
internal static class RecomputeBench
{
    public const string Usage =
        "usage: hymirec-serving-bench recompute [--concurrency 1,16,64] [--rounds 8] [--history 50] [--storage POSTGRES_CONNECTION_STRING]\n" +
        "                                       [--silo 'Section:Key=value;...'] [--out FILE.json]";

    private static readonly int[] RawBatchSizes = [1, 8, 32, 64];
    private static readonly System.Text.Json.JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Parsed before the model and the embedded Kafka are set up, so a usage error costs no start-up.</summary>
    public sealed record Settings(int[] Levels, int Rounds, int History, BenchArguments Serving, string Out)
    {
        public static Settings Parse(string[] args)
        {
            var values = OptionPairs.Parse(args, ["concurrency", "rounds", "history", "storage", "silo", "out"]);
            int[] levels = [.. values.GetValueOrDefault("concurrency", "1,16,64").Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
            var rounds = int.Parse(values.GetValueOrDefault("rounds", "8"), CultureInfo.InvariantCulture);
            var history = int.Parse(values.GetValueOrDefault("history", "50"), CultureInfo.InvariantCulture);
            OptionPairs.Require(levels.All(l => l >= 1), "--concurrency must be positive");
            OptionPairs.Require(rounds >= 1, "--rounds must be at least 1");
            OptionPairs.Require(history >= 1, "--history must be at least 1");

            // The silo settings and storage reach the silo the way the ingest bench passes them, so they are parsed
            // (and a malformed --silo refused) by the same code.
            var serving = BenchArguments.From(values.Where(p => p.Key is "storage" or "silo").ToDictionary());
            return new Settings(levels, rounds, history, serving, values.GetValueOrDefault("out", ""));
        }
    }

    public static async Task<int> RunAsync(Settings options, EmbeddedKafkaCluster kafka, string modelDirectory, IReadOnlyList<string> itemIds)
    {
        var (levels, rounds, history, serving, _) = options;
        var run = new ServingRun(serving, kafka, modelDirectory, itemIds, new ServingMeter());
        var tag = Guid.NewGuid().ToString("N")[..8];

        // A database of its own, as each ingest run gets, so the silo starts from empty user state.
        await using var database = serving.Storage.Length == 0 ? null : await BenchDatabase.CreateAsync(serving.Storage, "recompute_" + tag);
        kafka.CreateTopic("recompute-" + tag, 1);
        Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"{rounds} appends per user after a {history}-click history, storage {(database is null ? "in-memory" : "PostgreSQL")}");

        var app = ServingApp.Build(run.SiloArguments(RecomputeMode.EveryEvent, tag, "recompute-" + tag, database?.ConnectionString ?? ""));
        await app.StartAsync();
        var kept = default(HistoryStateStats);
        var rows = new List<(int Concurrency, double P50, double P99, double PerSecond, double MeanBatch, double Reused)>();
        try
        {
            var grains = app.Services.GetRequiredService<IClusterClient>();
            var host = app.Services.GetRequiredService<InterestModelHost>();
            var random = new Random(1);
            foreach (var concurrency in levels)
            {
                var users = Enumerable.Range(0, concurrency).Select(u => $"rc-{tag}-{concurrency}-{u}").ToArray();
                await Task.WhenAll(users.Select(u => grains.GetGrain<IUserGrain>(u).AppendAsync(Clicks(u, history, itemIds, random))));

                // The prefill's own recomputes (whole histories) finish before the clock starts, so they are not timed.
                await Task.WhenAll(users.Select(u => grains.GetGrain<IUserGrain>(u).GetInterestsAsync()));
                var latencies = new List<double>();
                var batches = host.Batches;
                var states = host.HistoryStates;
                var clock = Stopwatch.StartNew();
                await Task.WhenAll(users.Select(async u =>
                {
                    var grain = grains.GetGrain<IUserGrain>(u);
                    for (var r = 0; r < rounds; r++)
                    {
                        var click = Clicks(u, 1, itemIds, random);
                        var call = Stopwatch.StartNew();
                        await grain.AppendAsync(click);
                        await grain.GetInterestsAsync();
                        lock (latencies)
                        {
                            latencies.Add(call.Elapsed.TotalMilliseconds);
                        }
                    }
                }));
                var seconds = clock.Elapsed.TotalSeconds;
                latencies.Sort();
                var passes = Math.Max(1, host.Batches - batches);
                var after = host.HistoryStates;
                var events = after.ReusedEvents + after.ComputedEvents - states.ReusedEvents - states.ComputedEvents;
                rows.Add((concurrency, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Count / seconds, (double)latencies.Count / passes,
                    events == 0 ? 0 : (double)(after.ReusedEvents - states.ReusedEvents) / events));
            }

            kept = app.Services.GetRequiredService<InterestModelHost>().HistoryStates;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        var raw = RawForward(modelDirectory, history);
        var rawKept = RawKeptStates(modelDirectory, history);
        Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine();
        Console.WriteLine("| concurrent users | recompute p50 ms | p99 ms | recomputes/s | mean requests per forward pass | history events from kept states |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            Console.WriteLine($"| {r.Concurrency} | {r.P50:F1} | {r.P99:F1} | {r.PerSecond:F0} | {r.MeanBatch:F1} | {r.Reused:P1} |");
        }

        Console.WriteLine();
        Console.WriteLine("| raw forward batch size | users/s |");
        Console.WriteLine("|---:|---:|");
        foreach (var (size, perSecond) in raw)
        {
            Console.WriteLine($"| {size} | {perSecond:F0} |");
        }

        Console.WriteLine();
        Console.WriteLine("| raw forward with kept history states, one new event per user, batch size | users/s |");
        Console.WriteLine("|---:|---:|");
        foreach (var (size, perSecond) in rawKept)
        {
            Console.WriteLine($"| {size} | {perSecond:F0} |");
        }

        var bestPool = rows.Max(r => r.PerSecond);
        var bestRaw = raw.Max(r => r.PerSecond);
        var bestKept = rawKept.Max(r => r.PerSecond);
        Console.WriteLine();
        Console.WriteLine($"through the grains {bestPool:F0} users/s at best; raw forward {bestRaw:F0} users/s at best; ratio {bestPool / bestRaw:P1}");
        Console.WriteLine($"raw forward with kept states {bestKept:F0} users/s at best ({bestKept / bestRaw:F2} x the whole pass); grains against it {bestPool / bestKept:P1}");
        Console.WriteLine($"the silo kept states of {kept.Entries} users in {kept.Bytes / 1048576.0:F1} MiB at the end");
        if (options.Out is { Length: > 0 } outFile)
        {
            var json = new
            {
                concurrency = rows.Select(r => new { users = r.Concurrency, p50_ms = r.P50, p99_ms = r.P99, recomputes_per_s = r.PerSecond, mean_batch = r.MeanBatch, reused_history_share = r.Reused }),
                raw = raw.Select(r => new { batch = r.Size, users_per_s = r.PerSecond }),
                pool_over_raw = bestPool / bestRaw,
                raw_kept_states = rawKept.Select(r => new { batch = r.Size, users_per_s = r.PerSecond }),
                pool_over_raw_kept_states = bestPool / bestKept,
                kept_states = new { users = kept.Entries, bytes = kept.Bytes },
                load_average = File.ReadAllText("/proc/loadavg").Trim(),
            };
            File.WriteAllText(outFile, System.Text.Json.JsonSerializer.Serialize(json, Indented));
            Console.WriteLine($"wrote {outFile}");
        }

        return 0;
    }

    /// <summary>The model alone: one forward pass for a batch of users with <paramref name="history"/> clicks each, for about 1.5 s per size.</summary>
    private static List<(int Size, double PerSecond)> RawForward(string modelDirectory, int history)
    {
        // The same native-heap settings the silo's inference thread applies, so the raw figure is like for like.
        NativeHeap.KeepFreedMemory();
        using var model = InterestModelStore.Load(modelDirectory);
        var random = new Random(2);
        return [.. RawBatchSizes.Select(size =>
        {
            var batch = Enumerable.Range(0, size).Select(_ => model.RequestFor(RandomItems(model, random, history))).ToArray();
            return (size, PassesPerSecond(model, [batch]) * size);
        })];
    }

    /// <summary>
    /// The model alone with kept history states (<see cref="HistoryStateCache"/>): each pass is one click per user on a
    /// <paramref name="history"/>-event history, the newest event differing from the pass before, so a pass reuses the
    /// states of the events before it, as a recompute after a click does in the silo.
    /// </summary>
    private static List<(int Size, double PerSecond)> RawKeptStates(string modelDirectory, int history)
    {
        NativeHeap.KeepFreedMemory();
        using var model = InterestModelStore.Load(modelDirectory, historyCacheBytes: 1L << 30);
        var random = new Random(3);
        return [.. RawBatchSizes.Select(size =>
        {
            var users = Enumerable.Range(0, size).Select(_ => RandomItems(model, random, Math.Max(1, history - 1))).ToArray();
            var variants = Enumerable.Range(0, 8).Select(_ => users.Select((items, u) =>
                model.RequestFor([.. items, .. RandomItems(model, random, 1)]) with { UserKey = $"raw-{size}-{u}" }).ToArray()).ToArray();
            return (size, PassesPerSecond(model, variants) * size);
        })];
    }

    /// <summary>Forward passes per second over about 1.5 s, cycling through <paramref name="batches"/> after one untimed pass.</summary>
    private static double PassesPerSecond(HyMiRecInterestModel model, InterestRequest[][] batches)
    {
        model.ComputeInterests(batches[^1]);
        var clock = Stopwatch.StartNew();
        var passes = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(1.5))
        {
            model.ComputeInterests(batches[passes % batches.Length]);
            passes++;
        }

        return passes / clock.Elapsed.TotalSeconds;
    }

    private static int[] RandomItems(HyMiRecInterestModel model, Random random, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => 1 + random.Next(model.Catalog.ItemCount))];

    private static ClickEvent[] Clicks(string user, int count, IReadOnlyList<string> itemIds, Random random)
    {
        lock (random)
        {
            return [.. Enumerable.Range(0, count).Select(_ => new ClickEvent(user, itemIds[1 + random.Next(itemIds.Count - 1)], DateTimeOffset.UtcNow, "click", null))];
        }
    }

    private static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
}
