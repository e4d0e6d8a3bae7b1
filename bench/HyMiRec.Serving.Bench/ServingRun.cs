using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using HyMiRec.Events;
using HyMiRec.Grains.Inference;
using HyMiRec.Grains.Users;
using HyMiRec.Interfaces;
using HyMiRec.Kafka.Embedded;
using HyMiRec.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HyMiRec.Serving.Bench;

internal sealed record RunResult(
    RecomputeMode Mode,
    int Clicks,
    int Prefill,
    double? BytesPerEvent,
    double AppliedSeconds,
    double? CoveredSeconds,
    double RawSeconds,
    int RawMessages,
    double LatencyP50,
    double LatencyP99,
    long Recomputes,
    double MeanBatchSize,
    ReadResult? Reads,
    IReadOnlyList<LatencySecond> Timeline,
    RuntimeStats Runtime,
    (double HistoryP50, double HistoryP99, double RecomputeP50, double RecomputeP99) Stages)
{
    public double AppliedPerSecond => Clicks / AppliedSeconds;

    public double RawPerSecond => RawMessages / RawSeconds;
}

/// <summary>
/// One recompute mode end to end: the production silo wiring (ServingApp) on its own topic, warmed up with one click
/// per user, then the measured clicks; afterwards the raw Confluent consume rate of that same topic.
/// </summary>
internal sealed class ServingRun(BenchArguments args, EmbeddedKafkaCluster kafka, string modelDirectory, IReadOnlyList<string> itemIds, ServingMeter meter)
{
    public async Task<RunResult> RunAsync(RecomputeMode mode)
    {
        var run = $"{mode.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}"[..24];
        var topic = $"clicks-{run}";
        kafka.CreateTopic(topic, args.Partitions);
        kafka.CreateTopic(topic + ".dlq", 1);
        var deadline = TimeSpan.FromSeconds(args.TimeoutSeconds);
        var inference = mode != RecomputeMode.OnRead;

        await using var database = args.Storage.Length == 0 ? null : await BenchDatabase.CreateAsync(args.Storage, run);
        var siloArguments = SiloArguments(mode, run, topic, database?.ConnectionString ?? "");
        var api = new Uri(siloArguments.Single(a => a.StartsWith("--urls=", StringComparison.Ordinal))["--urls=".Length..] + "/");
        using var profile = args.Profile > 0 ? new RuntimeProfile() : null;
        var app = ServingApp.Build(siloArguments);
        await app.StartAsync();
        try
        {
            await app.Services.GetRequiredService<InterestModelHost>().Ready.WaitAsync(deadline);
            using var source = new ClickSource(kafka.BootstrapServers, topic, itemIds, args.Users);

            // Warm-up: every user grain activated (and, with inference, holding interests) before the clock starts.
            meter.Reset();
            var warm = meter.WhenApplied(args.Users);
            var warmCovered = inference ? meter.WhenCovered(args.Users) : Task.CompletedTask;
            source.Burst(args.Users);
            await Task.WhenAll(warm, warmCovered).WaitAsync(deadline);
            if (args.Prefill > 0)
            {
                await PrefillAsync(app.Services.GetRequiredService<IClusterClient>()).WaitAsync(deadline);

                // With inference on, the prefill started a recompute per user; the clock starts once they are done.
                var host = app.Services.GetRequiredService<InterestModelHost>();
                var drained = Stopwatch.StartNew();
                while (host.QueueLength > 0 && drained.Elapsed < deadline)
                {
                    await Task.Delay(50);
                }

                if (args.Settle)
                {
                    await SettleAsync(database);
                }
            }

            using var reads = args.ReadRate > 0 ? new ReadLoad(api, args.Users, args.ReadRate, k: 10) : null;
            if (args.WarmupSeconds > 0)
            {
                await WarmUpAsync(kafka.BootstrapServers, topic, app.Services.GetRequiredService<InterestModelHost>(), inference, reads).WaitAsync(deadline);
            }

            if (reads is not null && args.WarmupSeconds == 0)
            {
                // Without a warm-up the read path and its connections are warmed here; with one, the read load already
                // ran during it, and these reads would activate measured users before the clock.
                await reads.WarmAsync(200).WaitAsync(deadline);
            }

            meter.Reset();
            using var stopReads = new CancellationTokenSource();
            var readRun = reads?.RunAsync(stopReads.Token);
            var applied = meter.WhenApplied(args.Clicks);
            await using var sampler = new RuntimeSampler();
            profile?.Start();
            var covered = inference ? meter.WhenCovered(args.Clicks) : null;
            Console.Error.WriteLine($"{mode}: measured phase starts at {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
            var clock = Stopwatch.StartNew();
            if (args.Rate > 0)
            {
                await source.PacedAsync(args.Clicks, args.Rate, CancellationToken.None);
            }
            else
            {
                source.Burst(args.Clicks);
            }

            await applied.WaitAsync(deadline);
            var appliedSeconds = clock.Elapsed.TotalSeconds;
            double? coveredSeconds = null;
            if (covered is not null)
            {
                await covered.WaitAsync(deadline);
                coveredSeconds = clock.Elapsed.TotalSeconds;
            }

            var runtime = await sampler.StopAsync();
            if (profile is not null)
            {
                Print(mode, profile.Stop(args.Profile), args.Clicks);
            }

            await stopReads.CancelAsync();
            var readResult = readRun is null ? null : await readRun.WaitAsync(deadline);
            var total = args.Users + args.Clicks;
            var bytesPerEvent = database is null ? null : await database.BytesPerEventAsync();
            return new RunResult(mode, args.Clicks, args.Prefill, bytesPerEvent, appliedSeconds, coveredSeconds, RawConsumeMedianSeconds(topic, total), total - 1,
                meter.LatencyPercentile(0.50), meter.LatencyPercentile(0.99), meter.Recomputes, meter.MeanBatchSize, readResult, meter.Timeline(), runtime, meter.Stages());
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>
    /// Writes --prefill history events per user through the grains (500 per append), then deactivates every grain,
    /// so the measured clicks pay for activations that read long stored histories. The warm-up's users get the same
    /// histories, so the warm-up runs the measured phase's code paths (reading stored events and interests).
    /// </summary>
    private async Task PrefillAsync(IClusterClient client)
    {
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        var warmUsers = args.WarmupSeconds > 0 ? Math.Min(WarmupClicks, args.Users) : 0;
        var users = Enumerable.Range(0, args.Users).Select(u => (u, $"user-{u}")).Concat(Enumerable.Range(0, warmUsers).Select(u => (u, $"warm-{u}")));
        using var gate = new SemaphoreSlim(32);
        await Task.WhenAll(users.Select(async x =>
        {
            var (u, user) = x;
            await gate.WaitAsync();
            try
            {
                for (var first = 0; first < args.Prefill; first += 500)
                {
                    var chunk = Enumerable.Range(first, Math.Min(500, args.Prefill - first))
                        .Select(i => new ClickEvent(user, itemIds[1 + ((u + (i * 7)) % (itemIds.Count - 1))], start.AddSeconds(i), "click", null))
                        .ToArray();
                    await client.GetGrain<IUserGrain>(user).AppendAsync(chunk);
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        if (!args.KeepActive)
        {
            await client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        }
    }

    /// <summary>
    /// The prefill writes users x prefill events within seconds, far above the measured rate, and leaves its aftermath
    /// (autovacuum and a checkpoint in PostgreSQL, a gen2 collection of the heap it grew) to land in the first seconds
    /// of the clock. Like pgbench's vacuum before a run and BenchmarkDotNet's collection between iterations, this
    /// settles both before the warm-up, so the clock measures the steady rate, not the setup's burst.
    /// </summary>
    private static async Task SettleAsync(BenchDatabase? database)
    {
        if (database is not null)
        {
            await database.SettleAsync();
        }

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    /// <summary>
    /// Clicks at the measured rate to other users ("warm-N") until the JIT has compiled the hot paths at full
    /// optimisation and the pools have grown, as in a silo that has been serving for a while; the measured users stay
    /// cold (their grains deactivated). The read load, if any, runs at its rate on those other users meanwhile, so its
    /// connections, threads and code paths are warm too. The clock starts once those clicks' recomputes are done.
    /// </summary>
    private async Task WarmUpAsync(string bootstrapServers, string topic, InterestModelHost host, bool inference, ReadLoad? reads)
    {
        using var warm = new ClickSource(bootstrapServers, topic, itemIds, args.Users, userPrefix: "warm-");
        var clicks = WarmupClicks;
        meter.Reset();
        var applied = meter.WhenApplied(clicks);
        using var stopReads = new CancellationTokenSource();
        var readRun = reads?.RunAsync(stopReads.Token, "warm-", Math.Min(clicks, args.Users));
        // The measured phase samples the runtime; sampling the warm-up too compiles that code before the clock.
        await using var sampler = new RuntimeSampler();
        await warm.PacedAsync(clicks, args.Rate, CancellationToken.None);
        await applied;
        while (inference && host.QueueLength > 0)
        {
            await Task.Delay(50);
        }

        await stopReads.CancelAsync();
        if (readRun is not null)
        {
            await readRun;
        }

        _ = await sampler.StopAsync();
    }

    private int WarmupClicks => (int)(args.WarmupSeconds * args.Rate);

    internal string[] SiloArguments(RecomputeMode mode, string run, string topic, string storage)
    {
        var ports = FreePorts(3);
        var settings = new Dictionary<string, string>
        {
            ["urls"] = $"http://127.0.0.1:{ports[0]}",
            // The bench drives grains in-process; its HTTP port is never called, so the API runs without tokens.
            ["environment"] = "Development",
            ["Cluster:SiloPort"] = Invariant(ports[1]),
            ["Cluster:GatewayPort"] = Invariant(ports[2]),
            ["Cluster:PrimarySiloPort"] = Invariant(ports[1]),
            // A service id of its own: with PostgreSQL storage every run starts from empty user state.
            ["Cluster:ServiceId"] = "bench-" + run,
            ["Storage:ConnectionString"] = storage,
            ["Model:ArtifactDirectory"] = modelDirectory,
            ["Model:RegistryPollSeconds"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Users:RecomputeMode"] = mode.ToString(),
            ["Kafka:Enabled"] = "true",
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Kafka:ClickTopic"] = topic,
            ["Kafka:DeadLetterTopic"] = topic + ".dlq",
            ["Kafka:ConsumerGroup"] = "silo-" + run,
            ["Kafka:Partitions"] = Invariant(args.Partitions),
        };
        foreach (var (key, value) in args.SiloSettings)
        {
            settings[key] = value;
        }

        return settings.Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
    }

    /// <summary>The median of three raw reads: one read of a few thousand clicks takes milliseconds and varies a lot.</summary>
    private double RawConsumeMedianSeconds(string topic, int messages) =>
        Enumerable.Range(0, 3).Select(_ => RawConsumeSeconds(topic, messages)).Order().ElementAt(1);

    /// <summary>A plain Confluent consumer assigned to every partition, reading all messages (bytes only); seconds after the first.</summary>
    private double RawConsumeSeconds(string topic, int messages)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = $"raw-{topic}-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(Enumerable.Range(0, args.Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        Stopwatch? clock = null;
        for (var read = 0; read < messages; read++)
        {
            _ = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException($"raw consumer stalled at {read}/{messages}");
            // Timed from the first message: the silo's consumers were connected and fetching before its clock started.
            clock ??= Stopwatch.StartNew();
        }

        return clock!.Elapsed.TotalSeconds;
    }

    private static void Print(RecomputeMode mode, IReadOnlyList<(string Type, long Bytes)> types, int clicks)
    {
        Console.WriteLine($"{mode}: allocations by type (sampled every ~100 KiB), bytes per click:");
        foreach (var (type, bytes) in types)
        {
            Console.WriteLine($"  {bytes / (double)clicks,9:F0}  {type}");
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var l in listeners)
        {
            l.Start();
        }

        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var l in listeners)
        {
            l.Stop();
        }

        return ports;
    }
}
