using HyMiRec.Grains.Journal;
using HyMiRec.Interfaces;
using Microsoft.Extensions.DependencyInjection;

namespace HyMiRec.IntegrationTests.Serving;

public sealed class InterestSnapshotTests
{
    [Fact]
    public async Task A_reactivated_user_serves_its_stored_interests_until_the_next_click_recomputes()
    {
        await using var silo = await ServingSilo.StartAsync();
        var user = silo.Client.GetGrain<IUserGrain>("snapshot");
        await user.AppendAsync(Clicks.For("snapshot", 6));
        var before = (await user.GetInterestsAsync())!;
        var recommended = await user.GetRecommendationsAsync(5);

        await silo.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        // Served from the snapshot: the same computation, not a new pass over the same history.
        var after = (await user.GetInterestsAsync())!;
        Assert.Equal((before.EventsSeen, before.ComputedAt), (after.EventsSeen, after.ComputedAt));
        Assert.Equal(before.Refined, after.Refined);
        Assert.Equal(recommended.Select(r => r.ItemId), (await user.GetRecommendationsAsync(5)).Select(r => r.ItemId));

        await user.AppendAsync(Clicks.For("snapshot", 1, firstItem: 40));
        await Eventually.TrueAsync(async () => (await user.GetInterestsAsync())!.EventsSeen == 7, "a recompute covering the seventh click");
        Assert.True((await user.GetInterestsAsync())!.ComputedAt > before.ComputedAt);

        // Deleting the user removes the snapshot with the history.
        var store = silo.Services.GetRequiredService<IInterestSnapshots>();
        await silo.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(7, (await store.ReadAsync("snapshot"))!.EventsSeen);
        await user.DeleteAsync();
        Assert.Null(await store.ReadAsync("snapshot"));
        Assert.Null(await user.GetInterestsAsync());
    }

    [Fact]
    public async Task A_snapshot_store_that_fails_costs_a_recompute_not_a_read()
    {
        var store = new FailingSnapshots();
        await using var silo = await ServingSilo.StartAsync(configureSilo: s => s.Services.AddSingleton<IInterestSnapshots>(store));
        var user = silo.Client.GetGrain<IUserGrain>("no-snapshot");
        await user.AppendAsync(Clicks.For("no-snapshot", 5));
        var before = (await user.GetInterestsAsync())!;

        await silo.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var after = (await user.GetInterestsAsync())!;
        Assert.Equal(5, after.EventsSeen);
        Assert.True(after.ComputedAt > before.ComputedAt);
        Assert.Equal(5, (await user.GetRecommendationsAsync(5)).Count);
        Assert.True(store.Writes > 0 && store.Reads > 1);
    }

    private sealed class FailingSnapshots : IInterestSnapshots
    {
        private int _reads;
        private int _writes;

        public int Reads => Volatile.Read(ref _reads);

        public int Writes => Volatile.Read(ref _writes);

        public Task<InterestSnapshot?> ReadAsync(string userId, CancellationToken cancellation = default)
        {
            Interlocked.Increment(ref _reads);
            return Task.FromException<InterestSnapshot?>(new TimeoutException("snapshot store unreachable"));
        }

        public Task WriteAsync(string userId, InterestSnapshot snapshot, CancellationToken cancellation = default)
        {
            Interlocked.Increment(ref _writes);
            return Task.FromException(new TimeoutException("snapshot store unreachable"));
        }

        public Task DeleteAsync(string userId, CancellationToken cancellation = default) => Task.CompletedTask;
    }
}
