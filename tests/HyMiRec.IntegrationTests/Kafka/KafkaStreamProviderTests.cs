using System.Globalization;
using System.Text;
using HyMiRec.Kafka.Events;

namespace HyMiRec.IntegrationTests.Kafka;

/// <summary>End to end: embedded Kafka -> Orleans persistent stream provider -> implicitly subscribed grains.</summary>
public sealed class KafkaStreamProviderTests(ITestOutputHelper output)
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(90);

    private static string ClickJson(string user, string item, long millis) =>
        $$"""{"userId":"{{user}}","itemId":"{{item}}","timestamp":{{millis}}}""";

    /// <summary>Clicks for <paramref name="users"/> users, shuffled across users but in order per user.</summary>
    private static (List<(string? Key, string Value)> Messages, Dictionary<string, List<string>> Expected) MakeClicks(
        string run, int users, int perUser, int firstIndex, int seed)
    {
        var random = new Random(seed);
        var next = Enumerable.Range(0, users).ToDictionary(u => $"{run}-u{u}", _ => firstIndex);
        var expected = next.Keys.ToDictionary(u => u, _ => new List<string>());
        var messages = new List<(string?, string)>();
        var pending = next.Keys.ToList();
        while (pending.Count > 0)
        {
            var user = pending[random.Next(pending.Count)];
            var item = $"i{next[user]}";
            messages.Add((user, ClickJson(user, item, 1_700_000_000_000 + next[user])));
            expected[user].Add(item);
            if (++next[user] == firstIndex + perUser)
            {
                pending.Remove(user);
            }
        }

        return (messages, expected);
    }

    private static List<(string? Key, string Value, string Reason)> BadMessages(string run) =>
    [
        ($"{run}-u0", "{\"userId\":", "malformed-json"),
        ($"{run}-u1", $$"""{"userId":"{{run}}-u1","itemId":"x"}""", "missing-field"),
        ($"{run}-u2", $$"""{"userId":"{{run}}-u2","itemId":"","timestamp":1}""", "empty-field"),
        ($"{run}-u3", $$"""{"userId":"{{run}}-u3","itemId":"x","timestamp":1,"pad":"{{new string('p', KafkaTestBed.MaxMessageBytes)}}"}""", "oversized"),
        ($"{run}-u4", $$"""{"schema":7,"userId":"{{run}}-u4","itemId":"x","timestamp":1}""", "unknown-schema"),
        ($"{run}-u5", $$"""{"userId":"{{run}}-u5","itemId":"x","timestamp":"noon"}""", "invalid-timestamp"),
        ($"{run}-u6", $$"""{"userId":"{{run}}-u7","itemId":"x","timestamp":1}""", "key-mismatch"),
    ];

    private static async Task WaitForAll(Dictionary<string, List<string>> expected)
    {
        await Eventually.TrueAsync(
            () => expected.All(e => ClickLedger.Items(e.Key).Count >= e.Value.Count),
            () => $"{expected.Count(e => ClickLedger.Items(e.Key).Count < e.Value.Count)} of {expected.Count} users incomplete, " +
                  $"{expected.Sum(e => ClickLedger.Items(e.Key).Count)}/{expected.Sum(e => e.Value.Count)} clicks applied",
            DeliveryTimeout);
    }

    private static void AssertExactSequences(Dictionary<string, List<string>> expected)
    {
        foreach (var (user, items) in expected)
        {
            Assert.Equal(items, ClickLedger.Items(user));
        }
    }

    private static async Task WaitForCommitsAtEnd(KafkaTestBed bed) =>
        await Eventually.TrueAsync(
            () => bed.CommitProgress().All(p => p.Committed == p.End || (p.End == 0 && p.Committed < 0)),
            () => "committed/end per partition: " + string.Join(", ", bed.CommitProgress().Select(p => $"{p.Committed}/{p.End}")),
            TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Clicks_arrive_in_order_per_user_bad_ones_are_dead_lettered_and_a_restart_resumes_from_the_commit()
    {
        await using var bed = KafkaTestBed.Start("it", partitions: 4);
        var run = bed.ConsumerGroup[..11];
        var (clicks, expected) = MakeClicks(run, users: 30, perUser: 20, firstIndex: 0, seed: 1);
        var bad = BadMessages(run);
        var mixed = clicks.ToList();
        for (var i = 0; i < bad.Count; i++)
        {
            mixed.Insert((i + 1) * mixed.Count / (bad.Count + 1), (bad[i].Key, bad[i].Value));
        }

        var cluster = await bed.StartSilosAsync(2);
        try
        {
            await bed.ProduceAsync(mixed);
            await WaitForAll(expected);
            AssertExactSequences(expected);
            await WaitForCommitsAtEnd(bed);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }

        var deadLetters = bed.ReadDeadLetters(bad.Count, TimeSpan.FromSeconds(30));
        Assert.Equal(bad.Select(b => b.Reason).Order(), deadLetters.Select(d => DeadLetterPublisher.ReadHeader(d.Message.Headers, DeadLetterPublisher.ReasonHeader)).Order());
        foreach (var letter in deadLetters)
        {
            var headers = letter.Message.Headers;
            var reason = DeadLetterPublisher.ReadHeader(headers, DeadLetterPublisher.ReasonHeader);
            var original = bad.Single(b => b.Reason == reason);
            Assert.Equal(original.Value, Encoding.UTF8.GetString(letter.Message.Value!));
            Assert.Equal(original.Key, Encoding.UTF8.GetString(letter.Message.Key!));
            Assert.Equal("test", DeadLetterPublisher.ReadHeader(headers, "origin"));
            Assert.Equal(bed.ClickTopic, DeadLetterPublisher.ReadHeader(headers, DeadLetterPublisher.SourceTopicHeader));
            Assert.InRange(int.Parse(DeadLetterPublisher.ReadHeader(headers, DeadLetterPublisher.SourcePartitionHeader)!, CultureInfo.InvariantCulture), 0, bed.Partitions - 1);
            Assert.True(long.Parse(DeadLetterPublisher.ReadHeader(headers, DeadLetterPublisher.SourceOffsetHeader)!, CultureInfo.InvariantCulture) >= 0);
            Assert.True(DateTimeOffset.TryParse(DeadLetterPublisher.ReadHeader(headers, DeadLetterPublisher.TimeHeader), CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
            Assert.False(string.IsNullOrWhiteSpace(DeadLetterPublisher.ReadHeader(headers, DeadLetterPublisher.DetailHeader)));
        }

        // Everything so far was committed, so new silos in the same group must deliver only the new clicks.
        var deliveredBefore = expected.Keys.Sum(ClickLedger.Deliveries);
        Assert.Equal(expected.Values.Sum(v => v.Count), deliveredBefore);
        var (more, expectedMore) = MakeClicks(run, users: 30, perUser: 5, firstIndex: 20, seed: 2);
        await bed.ProduceAsync(more);
        cluster = await bed.StartSilosAsync(1);
        try
        {
            foreach (var (user, items) in expectedMore)
            {
                expected[user].AddRange(items);
            }

            await WaitForAll(expected);
            AssertExactSequences(expected);
            Assert.Equal(deliveredBefore + more.Count, expected.Keys.Sum(ClickLedger.Deliveries));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_silo_killed_mid_stream_and_replaced_still_applies_every_click_exactly_once()
    {
        await using var bed = KafkaTestBed.Start("kill", partitions: 4);
        var run = bed.ConsumerGroup[..13];
        var (first, expected) = MakeClicks(run, users: 40, perUser: 25, firstIndex: 0, seed: 3);
        var (second, expectedSecond) = MakeClicks(run, users: 40, perUser: 25, firstIndex: 25, seed: 4);
        foreach (var (user, items) in expectedSecond)
        {
            expected[user].AddRange(items);
        }

        var cluster = await bed.StartSilosAsync(2);
        try
        {
            await bed.ProduceAsync(first);
            await Eventually.TrueAsync(
                () => expected.Keys.Sum(u => ClickLedger.Items(u).Count) >= first.Count / 4,
                () => "no progress before the kill",
                DeliveryTimeout);
            await cluster.KillSiloAsync(cluster.SecondarySilos[0]);
            await bed.ProduceAsync(second);
            await cluster.StartAdditionalSiloAsync();
            await WaitForAll(expected);
            AssertExactSequences(expected);
            var deliveries = expected.Keys.Sum(ClickLedger.Deliveries);
            output.WriteLine($"{first.Count + second.Count} clicks applied once each; {deliveries} deliveries ({deliveries - first.Count - second.Count} replays deduplicated by offset)");
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Clicks_published_through_the_Orleans_stream_go_via_Kafka_to_the_users_grain()
    {
        await using var bed = KafkaTestBed.Start("pub", partitions: 3);
        var user = bed.ConsumerGroup[..12] + "-publisher";
        var clicks = Enumerable.Range(0, 12)
            .Select(i => new ClickEvent(user, $"p{i}", DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + i), "click", null))
            .ToList();
        var cluster = await bed.StartSilosAsync(1);
        try
        {
            var publisher = cluster.GrainFactory.GetGrain<IClickRecorderGrain>(bed.ConsumerGroup[..12] + "-sender");
            foreach (var click in clicks)
            {
                await publisher.Publish(click);
            }

            var expected = new Dictionary<string, List<string>> { [user] = clicks.Select(c => c.ItemId).ToList() };
            await WaitForAll(expected);
            AssertExactSequences(expected);
            Assert.Equal(12, await cluster.GrainFactory.GetGrain<IClickRecorderGrain>(user).CountApplied());
            await WaitForCommitsAtEnd(bed);
            Assert.Equal(12, bed.CommitProgress().Sum(p => p.End));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
