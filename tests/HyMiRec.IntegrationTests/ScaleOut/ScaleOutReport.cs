using System.Globalization;

namespace HyMiRec.IntegrationTests.ScaleOut;

/// <summary>The scenario's figures: one summary line (printed by scripts/test.sh) plus details, kept in artifacts/scale-out.</summary>
internal sealed record ScaleOutReport(
    ScaleOutSettings Settings,
    long Produced,
    Histories.Diff Diff,
    int IncompleteUsers,
    IReadOnlyCollection<int> VictimPartitions,
    IReadOnlyCollection<int> JoinerPartitions,
    TimeSpan? DeclaredDead,
    TimeSpan? Recovery,
    IReadOnlyDictionary<int, TimeSpan> RecoveryByPartition,
    TimeSpan? Converged,
    long Queries,
    long QueryErrors,
    double QueryErrorRate,
    TimeSpan LongestQueryGap,
    (double MedianMs, double MaxMs) QueryLatency,
    IReadOnlyList<string> QueryErrorSamples,
    TimeSpan Total)
{
    public string SummaryLine => string.Create(CultureInfo.InvariantCulture,
        $"scale-out: produced={Produced} lost={Diff.Lost} duplicated={Diff.Duplicated} disordered={Diff.Disordered} " +
        $"recovery_s={Seconds(Recovery)} declared_dead_s={Seconds(DeclaredDead)} query_error_rate={QueryErrorRate:P2} ({QueryErrors}/{Queries}) " +
        $"longest_query_gap_s={LongestQueryGap.TotalSeconds:0.0} total_s={Total.TotalSeconds:0}");

    public string Details => string.Join('\n',
        SummaryLine,
        string.Create(CultureInfo.InvariantCulture, $"  scenario: 3 silo processes (AdoNet clustering, PostgreSQL state), embedded Kafka, {Settings.Partitions} partitions, {Settings.Users} users, {Settings.Rate} clicks/s; SIGKILL after {Settings.KillAfterSeconds} s, fourth silo started after {Settings.JoinAfterSeconds} s, {Settings.TailSeconds} s more once it is active"),
        $"  killed silo was reading partitions [{string.Join(',', VictimPartitions)}]; fourth silo took over [{string.Join(',', JoinerPartitions)}]",
        "  recovery per partition (kill -> first click produced after the kill visible in a history): " +
            string.Join(", ", RecoveryByPartition.OrderBy(kv => kv.Key).Select(kv => string.Create(CultureInfo.InvariantCulture, $"p{kv.Key}={kv.Value.TotalSeconds:0.0}s"))),
        $"  users not complete at the deadline: {IncompleteUsers}; all histories complete {Seconds(Converged)} s after the last click was acknowledged",
        string.Create(CultureInfo.InvariantCulture, $"  query answer time: median {QueryLatency.MedianMs:0} ms, slowest {QueryLatency.MaxMs:0} ms"),
        $"  query errors (first {QueryErrorSamples.Count}): {string.Join(" | ", QueryErrorSamples)}");

    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "summary.txt"), Details + "\n");
    }

    private static string Seconds(TimeSpan? value) => value is { } v ? v.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) : "none";
}
