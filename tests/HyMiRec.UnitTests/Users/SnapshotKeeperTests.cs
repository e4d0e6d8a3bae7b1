using HyMiRec.Grains.Journal;
using HyMiRec.Grains.Users;
using HyMiRec.Interfaces;
using Microsoft.Extensions.Logging.Abstractions;

namespace HyMiRec.UnitTests.Users;

public sealed class SnapshotKeeperTests
{
    private static InterestSnapshot Snapshot(string model, long eventsSeen) =>
        new(new InterestsResult(model, "codes-1", 2, [1f, 0f], [0f, 1f]), eventsSeen, DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData("m1", 5, 5, true)] // current
    [InlineData("m1", 3, 5, true)] // behind: served, a background pass catches up
    [InlineData("m0", 5, 5, false)] // another model computed it
    [InlineData("m1", 7, 5, false)] // a history since deleted and rebuilt
    [InlineData("m1", 0, 5, false)]
    public void Adopts_only_interests_of_the_served_model_over_events_the_history_still_has(string model, long seen, long history, bool adopted)
    {
        var keeper = new SnapshotKeeper(new MemoryInterestSnapshots(), NullLogger.Instance);

        var held = keeper.Adopt(Snapshot(model, seen), history, "m1");

        Assert.Equal(adopted, held is not null);
        Assert.Null(keeper.Adopt(null, history, "m1"));
    }

    [Fact]
    public async Task Stores_held_interests_unless_they_are_the_ones_read()
    {
        var store = new CountingSnapshots();
        var keeper = new SnapshotKeeper(store, NullLogger.Instance);
        var adopted = keeper.Adopt(await keeper.ReadAsync("u", default) ?? Snapshot("m1", 4), 4, "m1");

        await keeper.StoreAsync("u", adopted, default);
        await keeper.StoreAsync("u", null, default);
        Assert.Equal(0, store.Writes);

        var newer = new ComputedInterests(Snapshot("m1", 6).Interests, 6, DateTimeOffset.UnixEpoch);
        await keeper.StoreAsync("u", newer, default);
        await keeper.StoreAsync("u", newer, default);
        Assert.Equal(1, store.Writes);
        Assert.Equal(6, (await store.ReadAsync("u"))!.EventsSeen);
    }

    [Fact]
    public async Task A_store_that_fails_is_logged_not_thrown_and_a_read_that_fails_gives_no_snapshot()
    {
        var keeper = new SnapshotKeeper(new CountingSnapshots { Fail = true }, NullLogger.Instance);
        var held = new ComputedInterests(Snapshot("m1", 2).Interests, 2, DateTimeOffset.UnixEpoch);

        await keeper.StoreAsync("u", held, default);
        Assert.Null(await keeper.ReadAsync("u", default));
        await Assert.ThrowsAsync<OperationCanceledException>(() => keeper.ReadAsync("u", new CancellationToken(canceled: true)));
    }

    private sealed class CountingSnapshots : IInterestSnapshots
    {
        private readonly MemoryInterestSnapshots _inner = new();

        public int Writes { get; private set; }

        public bool Fail { get; init; }

        public Task<InterestSnapshot?> ReadAsync(string userId, CancellationToken cancellation = default)
        {
            cancellation.ThrowIfCancellationRequested();
            return Fail ? throw new InvalidOperationException("store down") : _inner.ReadAsync(userId, cancellation);
        }

        public Task WriteAsync(string userId, InterestSnapshot snapshot, CancellationToken cancellation = default)
        {
            Writes++;
            return Fail ? throw new InvalidOperationException("store down") : _inner.WriteAsync(userId, snapshot, cancellation);
        }

        public Task DeleteAsync(string userId, CancellationToken cancellation = default) => _inner.DeleteAsync(userId, cancellation);
    }
}
