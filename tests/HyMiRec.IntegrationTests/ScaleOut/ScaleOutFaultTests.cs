using System.Diagnostics;
using HyMiRec.Hosting;
using HyMiRec.IntegrationTests.Kafka;
using HyMiRec.IntegrationTests.Serving;

namespace HyMiRec.IntegrationTests.ScaleOut;

/// <summary>
/// Scale-out on one machine (issue 7): PostgreSQL, the embedded Kafka and three silo processes clustered through
/// ADO.NET; a steady click stream; one silo SIGKILLed mid-stream and a fourth started later. Every history must equal
/// the produced sequence, every partition must be consumed again within the bound, and queries keep being answered.
/// The figures go to the test output and artifacts/scale-out/summary.txt (scripts/test.sh prints it).
/// </summary>
[Trait("Category", "ScaleOut")]
public sealed class ScaleOutFaultTests(PostgresServer postgres, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    // A deadline for the wait, not a measured bound: on a loaded two-core machine the backlog took 72 s once.
    private static readonly TimeSpan ConvergeTimeout = TimeSpan.FromSeconds(180);

    [PostgresFact]
    public async Task KillingASiloMidStreamLosesNoClickAndDoublesNone()
    {
        var settings = ScaleOutSettings.FromEnvironment();
        var artifacts = Path.Combine(SiloProcess.RepositoryRoot, "artifacts", "scale-out");
        var started = Stopwatch.GetTimestamp();
        // Four silos share the test server's 100 connections (PostgreSQL's default max_connections).
        var connection = postgres.CreateDatabase() + ";Maximum Pool Size=20";
        await using var bed = KafkaTestBed.Start("scale-out", settings.Partitions);
        var siloSettings = ScaleOutSettings.Silo(connection, bed.Kafka.BootstrapServers, bed.ClickTopic, bed.DeadLetterTopic, bed.ConsumerGroup);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = TestTokens.Bearer(AuthPolicies.UsersRead);
        var silos = new List<SiloProcess>();
        try
        {
            silos.AddRange(Enumerable.Range(1, 3).Select(i => SiloProcess.Start($"silo-{i}", siloSettings, artifacts)));
            await Task.WhenAll(silos.Select(s => s.WaitHealthyAsync(http, StartTimeout)));
            await Eventually.TrueAsync(async () => await Membership.ActiveSilosAsync(connection, ScaleOutSettings.ClusterId) == 3,
                "three active silos in the membership table", StartTimeout);

            var live = silos.ToList();
            Uri[] Targets() => [.. live.Select(s => s.BaseAddress)];
            using var stream = new ClickStream(bed.Kafka.BootstrapServers, bed.ClickTopic, settings.Users);
            var queries = new QueryLoop(http, stream.Users);
            queries.SetTargets(Targets());
            using var stopQueries = new CancellationTokenSource();
            using var stopProducing = new CancellationTokenSource();
            var querying = queries.RunAsync(TimeSpan.FromMilliseconds(100), stopQueries.Token);
            var producing = stream.RunAsync(settings.Rate, stopProducing.Token);

            await WaitSentAsync(stream, settings, settings.KillAfterClicks);
            // The silo reading the most partitions dies, so the kill certainly interrupts consumption.
            var victim = live.MaxBy(s => Membership.PartitionsReadBy(s).Count)!;
            var victimPartitions = Membership.PartitionsReadBy(victim);
            live.Remove(victim);
            queries.SetTargets(Targets());
            stream.Mark();
            var killedAt = Stopwatch.GetTimestamp();
            victim.Kill();
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} SIGKILLed {victim.Name} (reading partitions [{string.Join(',', victimPartitions)}]) after {stream.Sent} clicks");
            var recovery = new RecoveryWatch();
            var watching = recovery.RunAsync(http, stream, Targets, settings.Partitions, killedAt,
                () => Membership.IsDeclaredDeadAsync(connection, ScaleOutSettings.ClusterId, victim.SiloPort), settings.RecoveryBound + TimeSpan.FromSeconds(30));

            await WaitSentAsync(stream, settings, settings.JoinAfterClicks);
            var joiner = SiloProcess.Start("silo-4", siloSettings, artifacts);
            silos.Add(joiner);
            await joiner.WaitHealthyAsync(http, StartTimeout);
            live.Add(joiner);
            queries.SetTargets(Targets());
            // Active in the membership means the queue balancer may hand it partitions; the consistent ring usually
            // does (it gave the fourth silo none in about one run of ten, so that is reported, not asserted).
            await Eventually.TrueAsync(async () => await Membership.ActiveSilosAsync(connection, ScaleOutSettings.ClusterId) == 3,
                "the fourth silo active in the membership table beside the two survivors", StartTimeout);
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {joiner.Name} active after {stream.Sent} clicks");
            await WaitSentAsync(stream, settings, stream.Sent + settings.TailClicks);
            await stopProducing.CancelAsync();
            await producing;
            var produced = Stopwatch.GetTimestamp();
            await watching;
            var (incomplete, completedAt) = await WaitForHistoriesAsync(http, stream, Targets);
            var converged = completedAt is { } at ? Stopwatch.GetElapsedTime(produced, at) : (TimeSpan?)null;
            await Eventually.TrueAsync(() => Task.Run(() => bed.CommitProgress().All(p => p.Committed == p.End)),
                "committed offsets at the end of every partition", TimeSpan.FromSeconds(30));
            await stopQueries.CancelAsync();
            await querying;

            // One more full read once everything is committed: a late redelivery would show up here as a duplicate.
            var diff = await CompareAllAsync(http, stream, Targets());
            var report = new ScaleOutReport(settings, stream.Delivered, diff, incomplete, victimPartitions, Membership.PartitionsReadBy(joiner),
                recovery.DeclaredDead, recovery.Slowest(settings.Partitions), recovery.Recovered, converged,
                queries.Succeeded + queries.Failed, queries.Failed, queries.ErrorRate, queries.LongestGap, queries.Latency, queries.Errors, Stopwatch.GetElapsedTime(started));
            report.Write(artifacts);
            output.WriteLine(report.Details);

            Assert.Equal(0, stream.Failed);
            Assert.Equal(stream.Sent, stream.Delivered);
            Assert.True(stream.Users.Select((_, i) => stream.ProducedFor(i)).Max() < 1000, "the history API reads at most 1000 clicks per user");
            Assert.NotEmpty(victimPartitions);
            Assert.True(diff.IsExact, report.SummaryLine);
            Assert.Equal(0, incomplete);
            Assert.True(report.Recovery is { } r && r <= settings.RecoveryBound, $"every partition consumed again within {settings.RecoveryBound.TotalSeconds} s: {report.SummaryLine}");
            // Queries are answered by the survivors throughout: no outage as long as the recovery bound.
            Assert.True(queries.LongestGap < settings.RecoveryBound, report.SummaryLine);
        }
        finally
        {
            foreach (var silo in silos)
            {
                silo.Dispose();
            }
        }
    }

    private static Task WaitSentAsync(ClickStream stream, ScaleOutSettings settings, long target)
    {
        var expected = TimeSpan.FromSeconds((double)(target - stream.Sent) / settings.Rate);
        return Eventually.TrueAsync(() => Task.FromResult(stream.Sent >= target), $"{target} clicks sent", expected + TimeSpan.FromSeconds(30));
    }

    /// <summary>Polls the histories of users still short of their produced clicks until none is; returns how many stayed short and when all were complete.</summary>
    private static async Task<(int Incomplete, long? CompletedAt)> WaitForHistoriesAsync(HttpClient http, ClickStream stream, Func<Uri[]> silos)
    {
        var started = Stopwatch.GetTimestamp();
        var pending = Enumerable.Range(0, stream.Users.Length).ToList();
        using var gate = new SemaphoreSlim(16);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        while (true)
        {
            var targets = silos();
            var reads = await Task.WhenAll(pending.Select(async (user, k) =>
            {
                await gate.WaitAsync();
                try
                {
                    var seen = await Histories.SequencesAsync(http, targets[k % targets.Length], stream.Users[user], 1000);
                    return (User: user, Complete: seen is not null && seen.Length >= stream.ProducedFor(user));
                }
                finally
                {
                    gate.Release();
                }
            }));
            pending = [.. reads.Where(r => !r.Complete).Select(r => r.User)];
            if (pending.Count == 0)
            {
                return (0, Stopwatch.GetTimestamp());
            }

            if (Stopwatch.GetElapsedTime(started) > ConvergeTimeout)
            {
                return (pending.Count, null);
            }

            await timer.WaitForNextTickAsync();
        }
    }

    private static async Task<Histories.Diff> CompareAllAsync(HttpClient http, ClickStream stream, Uri[] silos)
    {
        var diff = default(Histories.Diff);
        for (var user = 0; user < stream.Users.Length; user++)
        {
            var seen = await Histories.SequencesAsync(http, silos[user % silos.Length], stream.Users[user], 1000)
                ?? await Histories.SequencesAsync(http, silos[(user + 1) % silos.Length], stream.Users[user], 1000);
            Assert.True(seen is not null, $"history of {stream.Users[user]} unreadable from {silos[user % silos.Length]} and the next silo");
            diff += Histories.Compare(stream.ProducedFor(user), seen!);
        }

        return diff;
    }
}
