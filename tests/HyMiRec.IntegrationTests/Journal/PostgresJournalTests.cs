using HyMiRec.Grains.Journal;
using HyMiRec.Grains.Users;
using HyMiRec.Interfaces;
using HyMiRec.Hosting;
using HyMiRec.IntegrationTests.Serving;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Storage;

namespace HyMiRec.IntegrationTests.Journal;

public sealed class PostgresJournalTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly JournalEvent[] Two = [new("a", 1_000), new("b", 2_000)];

    private async Task<(NpgsqlDataSource Database, PostgresUserJournal Journal)> OpenAsync(string service = "svc", JournalOptions? options = null)
    {
        var connection = postgres.CreateDatabase();
        await PostgresSchema.ApplyAsync(connection, CancellationToken.None);
        var database = NpgsqlDataSource.Create(connection);
        return (database, new PostgresUserJournal(database, service, Options.Create(options ?? new JournalOptions())));
    }

    [PostgresFact]
    public async Task A_second_activation_cannot_interleave_its_appends_even_after_a_compaction()
    {
        var (database, journal) = await OpenAsync();
        await using var _ = database;
        await using var __ = journal;

        // Two activations that both read the empty journal, writing in one flush and then in turn.
        var both = await Task.WhenAll(
            Outcome(journal.AppendAsync("u", 0, Two, [new LogPosition(2, 7)])),
            Outcome(journal.AppendAsync("u", 0, [new JournalEvent("x", 5)], [])));
        Assert.Equal(1, both.Count(ok => ok));
        var winner = await journal.ReadAsync("u");
        await Assert.ThrowsAsync<JournalConflictException>(() => journal.AppendAsync("u", 0, Two, []));

        // The winner compacts; a stale writer at any older version is still refused.
        await journal.AppendAsync("u", winner.Version, Two, [new LogPosition(2, 9)]);
        await journal.CompactAsync("u", winner.Version + 2, Two, [new LogPosition(2, 9)]);
        await Assert.ThrowsAsync<JournalConflictException>(() => journal.AppendAsync("u", winner.Version, Two, []));
        await Assert.ThrowsAsync<JournalConflictException>(() => journal.CompactAsync("u", winner.Version, Two, []));

        var read = await journal.ReadAsync("u");
        Assert.Equal((winner.Version + 2, 1), (read.Version, read.Rows));
        Assert.Equal(Two, read.Events);
        Assert.Equal(new LogPosition(2, 9), Assert.Single(read.Offsets));
    }

    [PostgresFact]
    public async Task Concurrent_appends_of_many_users_are_group_committed_and_read_back_together()
    {
        var (database, journal) = await OpenAsync();
        await using var _ = database;
        await using var __ = journal;
        var users = Enumerable.Range(0, 300).Select(i => $"user-{i}").ToArray();

        await Task.WhenAll(users.Select((u, i) => journal.AppendAsync(u, 0, [new JournalEvent($"item-{i % 17}", i)], [new LogPosition(i % 4, i)])));
        var reads = await Task.WhenAll(users.Select(u => journal.ReadAsync(u)));

        for (var i = 0; i < users.Length; i++)
        {
            Assert.Equal((1L, 1), (reads[i].Version, reads[i].Rows));
            Assert.Equal(new JournalEvent($"item-{i % 17}", i), Assert.Single(reads[i].Events));
        }

        // Each item id is stored once, however many users clicked it.
        await using var items = database.CreateCommand("SELECT count(*) FROM hymirec_items");
        Assert.Equal(17L, await items.ExecuteScalarAsync());
    }

    [PostgresFact]
    public async Task Flushes_that_meet_the_same_new_items_in_different_orders_do_not_deadlock()
    {
        // One append per flush and four flushes at once, each naming the same unseen items in its own order: two
        // silos (or two flush loops) inserting overlapping dictionary rows in opposite orders wait on each other.
        // Each round names items never seen before, so every round inserts dictionary rows.
        var (database, journal) = await OpenAsync(options: new JournalOptions { MaxWriteBatch = 1, WriteConcurrency = 4 });
        await using var _ = database;
        await using var __ = journal;
        for (var round = 0; round < 12; round++)
        {
            var items = Enumerable.Range(0, 40).Select(k => $"r{round}-item-{k}").ToArray();
            await Task.WhenAll(Enumerable.Range(0, 8).Select(u =>
            {
                var order = u % 2 == 0 ? items : items.Reverse().ToArray();
                var events = order.Skip(u * 3).Concat(order.Take(u * 3)).Select((id, t) => new JournalEvent(id, t)).ToArray();
                return journal.AppendAsync($"r{round}-user-{u}", 0, events, []);
            }));
        }

        await using var count = database.CreateCommand("SELECT count(*) FROM hymirec_items");
        Assert.Equal(12L * 40, await count.ExecuteScalarAsync());
    }

    [PostgresFact]
    public async Task Services_are_apart_and_deleting_a_user_removes_every_row()
    {
        var connection = postgres.CreateDatabase();
        await PostgresSchema.ApplyAsync(connection, CancellationToken.None);
        await using var database = NpgsqlDataSource.Create(connection);
        await using var one = new PostgresUserJournal(database, "one", Options.Create(new JournalOptions()));
        await using var two = new PostgresUserJournal(database, "two", Options.Create(new JournalOptions()));
        await one.AppendAsync("u", 0, Two, []);
        await one.AppendAsync("u", 2, Two, []);
        await two.AppendAsync("u", 0, Two, []);

        await one.DeleteAsync("u");

        Assert.Equal(JournalRead.Empty, await one.ReadAsync("u"));
        Assert.Equal(2, (await two.ReadAsync("u")).Events.Count);
        await using var rows = database.CreateCommand("SELECT count(*) FROM hymirec_user_journal WHERE service_id = 'one'");
        Assert.Equal(0L, await rows.ExecuteScalarAsync());
    }

    [PostgresFact]
    public async Task State_written_before_the_journal_is_moved_into_it_on_first_activation()
    {
        var connection = postgres.CreateDatabase();
        var settings = new Dictionary<string, string> { ["Storage:ConnectionString"] = connection };
        var legacy = new UserState { Layers = 1, CodebookVersion = "old", TotalEvents = 3, LastOffsets = new() { [1] = 41 } };
        foreach (var (item, i) in TestModel.Dataset.ItemIds.Skip(1).Take(3).Select((id, i) => (id, i)))
        {
            legacy.Items.Add(i + 1);
            legacy.ExternalIds.Add(item);
            legacy.TimestampsMs.Add(Clicks.Start.AddMinutes(i).ToUnixTimeMilliseconds());
            legacy.Codes.Add(0);
            legacy.MagnitudeBits.Add(0);
        }

        await using (var silo = await ServingSilo.StartAsync(settings))
        {
            // What the grain's [PersistentState("user", "users")] wrote before this version.
            var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(HyMiRec.Grains.StorageNames.Users);
            var grainId = silo.Client.GetGrain<IUserGrain>("veteran").GetGrainId();
            await storage.WriteStateAsync(LegacyUserStates.StateName, grainId, new GrainState<UserState>(legacy));
        }

        await using (var silo = await ServingSilo.StartAsync(settings))
        {
            var user = silo.Client.GetGrain<IUserGrain>("veteran");
            var history = await user.GetHistoryAsync(10);
            Assert.Equal(legacy.ExternalIds.AsEnumerable().Reverse(), history.Select(h => h.ItemId));
            Assert.All(history, h => Assert.NotEmpty(h.Codes));
            var replay = new ClickEvent("veteran", legacy.ExternalIds[0], Clicks.Start, "click", new LogPosition(1, 41));
            Assert.Equal(1, (await user.AppendAsync([replay])).Duplicates);
        }

        await using var check = new NpgsqlConnection(connection);
        await check.OpenAsync();
        await using var rows = new NpgsqlCommand("SELECT (SELECT sum(event_count) FROM hymirec_user_journal), (SELECT count(*) FROM orleansstorage WHERE graintypestring = 'user' AND payloadbinary IS NOT NULL)", check);
        await using var reader = await rows.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((3L, 0L), (reader.GetInt64(0), reader.GetInt64(1)));
    }

    [PostgresFact]
    public async Task Events_past_the_cap_are_pruned_from_storage_and_a_deleted_user_leaves_nothing()
    {
        var connection = postgres.CreateDatabase();
        var settings = new Dictionary<string, string> { ["Storage:ConnectionString"] = connection, ["Users:HistoryCap"] = "16", ["Users:RecomputeMode"] = "OnRead" };
        await using (var silo = await ServingSilo.StartAsync(settings))
        {
            var user = silo.Client.GetGrain<IUserGrain>("long");
            foreach (var chunk in Clicks.For("long", 60, partition: 0).Chunk(5))
            {
                await user.AppendAsync(chunk);
            }

            Assert.Equal(16, (await user.GetHistoryAsync(100)).Count);
            Assert.InRange(await StoredEventsAsync(connection, "long"), 16, 18);

            await silo.Client.GetGrain<IUserGrain>("gone").AppendAsync(Clicks.For("gone", 3));
            await silo.Client.GetGrain<IUserGrain>("gone").DeleteAsync();
            Assert.Equal(0L, await StoredEventsAsync(connection, "gone"));
            Assert.Empty(await silo.Client.GetGrain<IUserGrain>("gone").GetHistoryAsync(10));
        }

        await using var again = await ServingSilo.StartAsync(settings);
        Assert.Equal(16, (await again.Client.GetGrain<IUserGrain>("long").GetHistoryAsync(100)).Count);
        Assert.Empty(await again.Client.GetGrain<IUserGrain>("gone").GetHistoryAsync(10));
    }

    private static async Task<long> StoredEventsAsync(string connection, string user)
    {
        await using var check = new NpgsqlConnection(connection);
        await check.OpenAsync();
        await using var sum = new NpgsqlCommand("SELECT coalesce(sum(event_count), 0) FROM hymirec_user_journal WHERE user_id = @u", check);
        sum.Parameters.AddWithValue("u", user);
        return (long)(await sum.ExecuteScalarAsync())!;
    }

    private static async Task<bool> Outcome(Task append)
    {
        try
        {
            await append;
            return true;
        }
        catch (JournalConflictException)
        {
            return false;
        }
    }
}
