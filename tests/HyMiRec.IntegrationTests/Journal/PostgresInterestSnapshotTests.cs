using HyMiRec.Grains.Journal;
using HyMiRec.Hosting;
using HyMiRec.Interfaces;
using HyMiRec.IntegrationTests.Serving;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HyMiRec.IntegrationTests.Journal;

public sealed class PostgresInterestSnapshotTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static InterestSnapshot Snapshot(string model, long seen, float value) =>
        new(new InterestsResult(model, "cb-1", 2, [value, -value, 0.5f, 1e-7f], [value, 2 * value]), seen, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + seen));

    [PostgresFact]
    public async Task Snapshots_round_trip_and_an_older_one_of_the_same_model_never_replaces_a_newer_one()
    {
        var connection = postgres.CreateDatabase();
        await PostgresSchema.ApplyAsync(connection, CancellationToken.None);
        await using var database = NpgsqlDataSource.Create(connection);
        await using var one = new PostgresInterestSnapshots(database, "one", Options.Create(new JournalOptions()));
        await using var two = new PostgresInterestSnapshots(database, "two", Options.Create(new JournalOptions()));

        Assert.Null(await one.ReadAsync("u"));
        await one.WriteAsync("u", Snapshot("m1", 10, 0.25f));
        var read = await one.ReadAsync("u");
        Assert.NotNull(read);
        Assert.Equal(("m1", "cb-1", 2, 10L), (read.Interests.ModelVersion, read.Interests.CodebookVersion, read.Interests.Dimension, read.EventsSeen));
        Assert.Equal(Snapshot("m1", 10, 0.25f).Interests.Coarse, read.Interests.Coarse);
        Assert.Equal([0.25f, 0.5f], read.Interests.Refined);
        Assert.Equal(Snapshot("m1", 10, 0.25f).ComputedAt, read.ComputedAt);
        Assert.Null(await two.ReadAsync("u"));

        // A late writer (a second activation in a failover) with fewer events loses; a newer model always wins.
        await one.WriteAsync("u", Snapshot("m1", 9, 9f));
        Assert.Equal(10, (await one.ReadAsync("u"))!.EventsSeen);
        await one.WriteAsync("u", Snapshot("m2", 3, 3f));
        Assert.Equal(("m2", 3L), ((await one.ReadAsync("u"))!.Interests.ModelVersion, (await one.ReadAsync("u"))!.EventsSeen));

        // Writes of many users at once are one statement, a user twice in it included.
        var users = Enumerable.Range(0, 200).Select(i => $"user-{i}").ToArray();
        await Task.WhenAll(users.Select((u, i) => one.WriteAsync(u, Snapshot("m2", i + 1, i))).Append(one.WriteAsync("user-5", Snapshot("m2", 2, 99f))));
        var reads = await Task.WhenAll(users.Select(u => one.ReadAsync(u)));
        Assert.All(reads.Select((r, i) => (r, i)), x => Assert.Equal((long)x.i + 1, x.r!.EventsSeen));
        Assert.Equal(5f, reads[5]!.Interests.Refined[0]);

        await one.DeleteAsync("u");
        Assert.Null(await one.ReadAsync("u"));
    }

    [PostgresFact]
    public async Task Flushes_that_update_the_same_users_in_different_orders_do_not_deadlock()
    {
        var connection = postgres.CreateDatabase();
        await PostgresSchema.ApplyAsync(connection, CancellationToken.None);
        await using var database = NpgsqlDataSource.Create(connection);
        await using var snapshots = new PostgresInterestSnapshots(database, "svc", Options.Create(new JournalOptions { MaxWriteBatch = 40, WriteConcurrency = 4 }));
        var users = Enumerable.Range(0, 64).Select(i => $"user-{i}").ToArray();

        // Each round writes every user twice, forwards then backwards; with 40 a flush, the first flush (users 0-39)
        // and the third (47 down to 8) update the same rows in opposite orders at once. The newer snapshot (more
        // events) must win whichever flush commits last.
        const int rounds = 15;
        for (var round = 0; round < rounds; round++)
        {
            var forward = users.Select(u => snapshots.WriteAsync(u, Snapshot("m1", 2 * round + 1, round)));
            var backward = users.Reverse().Select(u => snapshots.WriteAsync(u, Snapshot("m1", 2 * round + 2, round)));
            await Task.WhenAll(forward.Concat(backward).ToArray());
        }

        var reads = await Task.WhenAll(users.Select(u => snapshots.ReadAsync(u)));
        Assert.All(reads, r => Assert.Equal(2L * rounds, r!.EventsSeen));
    }
}
