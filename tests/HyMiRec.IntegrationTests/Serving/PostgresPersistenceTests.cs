using HyMiRec.Interfaces;
using Npgsql;

namespace HyMiRec.IntegrationTests.Serving;

public sealed class PostgresPersistenceTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [PostgresFact]
    public async Task StateSurvivesASiloRestartAndConcurrentAppendsLoseNothing()
    {
        var connection = postgres.CreateDatabase();
        var settings = new Dictionary<string, string> { ["Storage:ConnectionString"] = connection };
        UserInterestsView? interests;
        IReadOnlyList<HistoryEntryView> history;
        await using (var silo = await ServingSilo.StartAsync(settings))
        {
            var user = silo.Client.GetGrain<IUserGrain>("persisted");
            await user.AppendAsync(Clicks.For("persisted", 12, partition: 0, firstOffset: 0));
            interests = await user.GetInterestsAsync();
            history = await user.GetHistoryAsync(100);

            // 40 single-event appends at once (HTTP-style, no Kafka offsets, whose order they could not keep).
            var burst = Clicks.For("burst", 40);
            await Task.WhenAll(burst.Select(c => silo.Client.GetGrain<IUserGrain>("burst").AppendAsync([c])));
        }

        await using (var silo = await ServingSilo.StartAsync(settings))
        {
            var user = silo.Client.GetGrain<IUserGrain>("persisted");
            var restored = await user.GetHistoryAsync(100);
            Assert.Equal(history.Select(h => (h.ItemId, h.ItemIndex, h.Timestamp)), restored.Select(h => (h.ItemId, h.ItemIndex, h.Timestamp)));
            Assert.Equal(history.SelectMany(h => h.Codes), restored.SelectMany(h => h.Codes));
            Assert.Equal(history.SelectMany(h => h.Magnitudes), restored.SelectMany(h => h.Magnitudes));
            // The stopping silo left the interests as a snapshot: the new activation serves them as they were
            // computed (same time, same vectors) instead of running the model before its first read.
            var restoredInterests = await user.GetInterestsAsync();
            Assert.Equal(interests!.EventsSeen, restoredInterests!.EventsSeen);
            Assert.Equal(interests.ComputedAt.ToUnixTimeMilliseconds(), restoredInterests.ComputedAt.ToUnixTimeMilliseconds());
            Assert.Equal(interests.Coarse, restoredInterests.Coarse);
            Assert.Equal(interests.Refined, restoredInterests.Refined);

            // Offsets are persisted too: a replay after the restart is recognised.
            Assert.Equal(12, (await user.AppendAsync(Clicks.For("persisted", 12, partition: 0, firstOffset: 0))).Duplicates);

            var burst = await silo.Client.GetGrain<IUserGrain>("burst").GetHistoryAsync(100);
            Assert.Equal(40, burst.Count);
            Assert.Equal(40, burst.Select(h => h.Timestamp).Distinct().Count());
        }

        await using var check = new NpgsqlConnection(connection);
        await check.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(DISTINCT user_id), sum(event_count) FROM hymirec_user_journal", check);
        await using var reader = await count.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((2L, 52L), (reader.GetInt64(0), reader.GetInt64(1)));
    }

    [PostgresFact]
    public async Task SchemaScriptsCanBeAppliedAgain()
    {
        var connection = postgres.CreateDatabase();
        await HyMiRec.Hosting.PostgresSchema.ApplyAsync(connection, CancellationToken.None);
        await HyMiRec.Hosting.PostgresSchema.ApplyAsync(connection, CancellationToken.None);
        await using var check = new NpgsqlConnection(connection);
        await check.OpenAsync();
        await using var keys = new NpgsqlCommand("SELECT count(*) FROM orleansquery WHERE querykey IN ('ReadFromStorageKey','WriteToStorageKey','ClearStorageKey')", check);
        Assert.Equal(3L, await keys.ExecuteScalarAsync());
    }
}
