using HyMiRec.Kafka.Hosting;

namespace HyMiRec.IntegrationTests.Kafka;

/// <summary>What happens to clicks whose user grain cannot take them for a while (its storage is down).</summary>
public sealed class DeliveryRetryTests
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task By_default_a_click_is_retried_until_the_grain_takes_it_and_only_then_committed()
    {
        var (applied, failures, otherApplied) = await RunOutage(new Dictionary<string, string>());
        Assert.Equal(3, applied);
        Assert.True(failures > 0, "the outage was never hit");
        Assert.Equal(3, otherApplied);
    }

    [Fact]
    public async Task A_positive_retry_limit_gives_clicks_up_once_it_is_exceeded()
    {
        var (applied, failures, otherApplied) = await RunOutage(new Dictionary<string, string> { [nameof(KafkaOptions.DeliveryRetryLimitSeconds)] = "1" });
        Assert.True(failures > 0, "the outage was never hit");
        Assert.True(applied < 3, $"with a 1 s limit and a {Outage.TotalSeconds} s outage some clicks are given up; {applied} of 3 arrived");
        Assert.Equal(3, otherApplied);
    }

    /// <summary>
    /// One user's grain fails every delivery for <see cref="Outage"/>; another user on the same partition is healthy.
    /// Returns what each ledger holds once the partition's commit has reached the end of the log.
    /// </summary>
    private static async Task<(int Applied, int Failures, int OtherApplied)> RunOutage(Dictionary<string, string> settings)
    {
        await using var bed = KafkaTestBed.Start("retry", partitions: 1);
        var run = bed.ConsumerGroup[..14];
        var (down, healthy) = ($"{run}-down", $"{run}-up");
        ClickLedger.FailUntil(down, DateTime.UtcNow + Outage);
        var clicks = Enumerable.Range(0, 3).SelectMany(i => new[] { Click(down, i), Click(healthy, i) });
        await bed.ProduceAsync(clicks);
        var cluster = await bed.StartSilosAsync(1, settings);
        try
        {
            await Eventually.TrueAsync(
                () => bed.CommitProgress().All(p => p.Committed == p.End) && DateTime.UtcNow > ClickLedger.For(down).FailUntil,
                () => "committed/end: " + string.Join(", ", bed.CommitProgress().Select(p => $"{p.Committed}/{p.End}")),
                TimeSpan.FromSeconds(90));
            return (ClickLedger.Items(down).Count, ClickLedger.For(down).Failures, ClickLedger.Items(healthy).Count);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    private static (string? Key, string Value) Click(string user, int i) =>
        (user, $$"""{"userId":"{{user}}","itemId":"i{{i}}","timestamp":{{1_700_000_000_000 + i}}}""");
}
