using System.Diagnostics.Metrics;
using System.Text;
using HyMiRec.Interfaces;
using HyMiRec.Kafka.Events;
using HyMiRec.Kafka.Streaming;
using HyMiRec.IntegrationTests.Kafka;

namespace HyMiRec.IntegrationTests.Serving;

/// <summary>Clicks no grain could take must not hold their partition: they go to the dead-letter topic with a reason.</summary>
public sealed class PoisonMessageTests
{
    private const int Partitions = 4;

    [Fact]
    public async Task Poison_clicks_are_dead_lettered_and_every_partition_commits_to_its_end()
    {
        await using var bed = KafkaTestBed.Start("poison", Partitions);
        var settings = bed.SiloSettings();
        settings["Kafka:CommitIntervalMs"] = "100";
        settings["Users:RecomputeMode"] = "OnRead";
        var fresh = UsersOnEveryPartition("fresh");
        var now = DateTimeOffset.UtcNow;
        var poison = new[]
        {
            (Key: new string('u', 200), Value: Json(new string('u', 200), now)),
            (Key: "bad\u0001user", Value: Json("bad\u0001user", now)),
            (Key: "time-traveller", Value: Json("time-traveller", now.AddDays(3))),
        };

        await using (var silo = await ServingSilo.StartAsync(settings))
        {
            // Poison first on its partition, then fresh users on every partition (behind it on its own).
            await bed.ProduceAsync(poison.Select(p => ((string?)p.Key, p.Value)));
            await bed.ProduceAsync(fresh.Select(u => ((string?)u, Json(u, now))));

            foreach (var user in fresh)
            {
                await Eventually.TrueAsync(async () => (await silo.Client.GetGrain<IUserGrain>(user).GetHistoryAsync(10)).Count == 1, $"{user}'s click");
            }

            await Eventually.TrueAsync(() => Task.FromResult(bed.CommitProgress().All(p => p.Committed == p.End)), "every partition committed to its end");
            await Eventually.TrueAsync(() => Task.FromResult(Lags(bed.ClickTopic).Count == Partitions && Lags(bed.ClickTopic).All(l => l == 0)), "consumer lag 0 on every partition");
        }

        var letters = bed.ReadDeadLetters(poison.Length, TimeSpan.FromSeconds(10));
        Assert.Equal(
            ["future-timestamp", "invalid-user-id", "invalid-user-id"],
            letters.Select(l => DeadLetterPublisher.ReadHeader(l.Message.Headers, DeadLetterPublisher.ReasonHeader)).Order());
        Assert.All(letters, l => Assert.False(string.IsNullOrEmpty(DeadLetterPublisher.ReadHeader(l.Message.Headers, DeadLetterPublisher.DetailHeader))));

        // A restarted silo (state in memory, so empty) resumes at the end: markers on every partition arrive, and
        // nothing produced before the restart is replayed.
        await using var again = await ServingSilo.StartAsync(settings);
        var markers = UsersOnEveryPartition("marker");
        await bed.ProduceAsync(markers.Select(u => ((string?)u, Json(u, DateTimeOffset.UtcNow))));
        foreach (var user in markers)
        {
            await Eventually.TrueAsync(async () => (await again.Client.GetGrain<IUserGrain>(user).GetHistoryAsync(10)).Count == 1, $"{user}'s click after the restart");
        }

        foreach (var user in fresh)
        {
            Assert.Empty(await again.Client.GetGrain<IUserGrain>(user).GetHistoryAsync(10));
        }
    }

    /// <summary>One user id per partition, found with the producer's own partitioner.</summary>
    private static string[] UsersOnEveryPartition(string prefix)
    {
        var users = new string?[Partitions];
        for (var i = 0; users.Any(u => u is null); i++)
        {
            var user = $"{prefix}-{i}";
            users[ClickPartitioner.PartitionFor(Encoding.UTF8.GetBytes(user), Partitions)] ??= user;
        }

        return [.. users.Select(u => u!)];
    }

    private static string Json(string user, DateTimeOffset at) =>
        Encoding.UTF8.GetString(ClickEventCodec.Encode(new ClickEvent(user, TestModel.Dataset.ItemIds[1], at, "click", null)));

    private static List<long> Lags(string topic)
    {
        var lags = new List<long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == KafkaMetrics.MeterName && instrument.Name == "hymirec.kafka.consumer_lag")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "topic" && Equals(tag.Value, topic))
                {
                    lags.Add(value);
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return lags;
    }
}
