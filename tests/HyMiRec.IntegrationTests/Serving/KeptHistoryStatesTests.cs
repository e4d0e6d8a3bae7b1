using HyMiRec.Grains.Inference;
using HyMiRec.Interfaces;
using HyMiRec.Model.Serving;
using Microsoft.Extensions.DependencyInjection;

namespace HyMiRec.IntegrationTests.Serving;

public sealed class KeptHistoryStatesTests
{
    [Fact]
    public async Task A_recompute_after_a_click_reuses_the_users_kept_states_and_gives_the_interests_of_a_whole_pass()
    {
        await using var silo = await ServingSilo.StartAsync(new Dictionary<string, string> { ["Users:RecomputeMode"] = "EveryEvent" });
        var host = silo.Services.GetRequiredService<InterestModelHost>();
        var user = silo.Client.GetGrain<IUserGrain>("kept");
        var clicks = Clicks.For("kept", 12);
        await user.AppendAsync(clicks[..8]);
        await Eventually.TrueAsync(async () => (await user.GetInterestsAsync())!.EventsSeen == 8, "the first recompute");

        var before = host.HistoryStates;
        for (var n = 9; n <= clicks.Length; n++)
        {
            await user.AppendAsync(clicks[(n - 1)..n]);
            await Eventually.TrueAsync(async () => (await user.GetInterestsAsync())!.EventsSeen == n, $"the recompute after click {n}");
        }

        // Each recompute after a click had every earlier event kept and computed the new one (a recompute with nothing
        // new, should a read start one, computes nothing).
        var after = host.HistoryStates;
        Assert.Equal(4L, after.ComputedEvents - before.ComputedEvents);
        Assert.True(after.ReusedEvents - before.ReusedEvents >= 8 + 9 + 10 + 11, $"reused {after.ReusedEvents - before.ReusedEvents}");

        using var whole = InterestModelStore.Load(TestModel.Directory);
        var items = clicks.Select(c => whole.Catalog.TryGetIndex(c.ItemId, out var index) ? index : throw new InvalidOperationException(c.ItemId)).ToArray();
        var expected = whole.ComputeInterests([whole.RequestFor(items)])[0];
        var served = (await user.GetInterestsAsync())!;
        Assert.Equal(expected.Refined.Length, served.Refined.Length);
        Assert.All(expected.Refined.Zip(served.Refined), p => Assert.True(Math.Abs(p.First - p.Second) < 1e-4, $"{p.First} against {p.Second}"));
        Assert.All(expected.Coarse.Zip(served.Coarse), p => Assert.True(Math.Abs(p.First - p.Second) < 1e-4, $"{p.First} against {p.Second}"));
    }
}
