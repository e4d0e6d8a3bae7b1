using HyMiRec.Grains.Inference;
using HyMiRec.Interfaces;
using HyMiRec.Model.Data;
using HyMiRec.Model.Serving;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HyMiRec.IntegrationTests.Serving;

public sealed class ServingPolicyTests
{
    [Fact]
    public async Task ThrottledRecomputeTurnsABurstIntoOneForwardPass()
    {
        await using var silo = await ServingSilo.StartAsync(new Dictionary<string, string>
        {
            ["Users:RecomputeMode"] = "Throttled",
            ["Users:RecomputeIntervalMs"] = "300",
            ["Users:RecomputeEveryEvents"] = "1000",
        });
        var host = silo.Services.GetRequiredService<InterestModelHost>();
        var user = silo.Client.GetGrain<IUserGrain>("bursty");
        var clicks = Clicks.For("bursty", 11);
        await user.AppendAsync(clicks[..1]);
        Assert.Equal(1, (await user.GetInterestsAsync())!.EventsSeen);

        var before = host.Batches;
        foreach (var click in clicks[1..])
        {
            await user.AppendAsync([click]);
        }

        // Until the timer fires the stored interests stand; then exactly one recompute covers all ten.
        Assert.Equal(1, (await user.GetInterestsAsync())!.EventsSeen);
        await Eventually.TrueAsync(async () => (await user.GetInterestsAsync())!.EventsSeen == 11, "the throttled recompute");
        Assert.Equal(before + 1, host.Batches);
    }

    [Fact]
    public async Task EveryEventCoalescesClicksThatArriveDuringAPassAndReadsDoNotWaitForIt()
    {
        await using var silo = await ServingSilo.StartAsync(new Dictionary<string, string> { ["Users:RecomputeMode"] = "EveryEvent" });
        var host = silo.Services.GetRequiredService<InterestModelHost>();
        var user = silo.Client.GetGrain<IUserGrain>("coalesced");
        var clicks = Clicks.For("coalesced", 5);
        await user.AppendAsync(clicks[..1]);
        Assert.Equal(1, (await user.GetInterestsAsync())!.EventsSeen);

        // Same artifact, so the same model version: the grain keeps its interests across the switch.
        var model = new ObservedModel(InterestModelStore.Load(TestModel.Directory));
        host.Switch(model);
        model.Close();
        await user.AppendAsync(clicks[1..2]);
        await model.WhenPassStartedAsync();

        // The pass covering two clicks is held; recommendations come from the interests in memory meanwhile.
        var read = user.GetRecommendationsAsync(5);
        Assert.Same(read, await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(30))));
        Assert.NotEmpty(await read);
        foreach (var click in clicks[2..])
        {
            await user.AppendAsync([click]);
        }

        model.Open();
        await Eventually.TrueAsync(async () => (await user.GetInterestsAsync())!.EventsSeen == 5, "the coalesced recompute");
        // The held pass and one more for the three clicks that arrived during it, not one per click.
        Assert.Equal(2, model.Passes);
    }

    [Fact]
    public async Task EnoughNewEventsRecomputeAtOnceInThrottledMode()
    {
        await using var silo = await ServingSilo.StartAsync(new Dictionary<string, string>
        {
            ["Users:RecomputeMode"] = "Throttled",
            ["Users:RecomputeIntervalMs"] = "3600000",
            ["Users:RecomputeEveryEvents"] = "4",
        });
        var user = silo.Client.GetGrain<IUserGrain>("steady");
        await user.AppendAsync(Clicks.For("steady", 1));
        Assert.Equal(1, (await user.GetInterestsAsync())!.EventsSeen);
        await user.AppendAsync(Clicks.For("steady", 3, firstItem: 2));
        Assert.Equal(1, (await user.GetInterestsAsync())!.EventsSeen);
        await user.AppendAsync(Clicks.For("steady", 1, firstItem: 5));
        Assert.Equal(5, (await user.GetInterestsAsync())!.EventsSeen);
    }

    [Fact]
    public async Task OnReadComputesInterestsOnlyWhenAskedAndKeepsThemUntilNewEvents()
    {
        await using var silo = await ServingSilo.StartAsync(new Dictionary<string, string> { ["Users:RecomputeMode"] = "OnRead" });
        var user = silo.Client.GetGrain<IUserGrain>("lazy");
        await user.AppendAsync(Clicks.For("lazy", 3));
        var appended = DateTimeOffset.UtcNow;

        // Computed by the read, not by the append before it.
        var first = await user.GetInterestsAsync();
        Assert.Equal(3, first!.EventsSeen);
        Assert.True(first.ComputedAt >= appended, $"interests computed at {first.ComputedAt:O}, before the read at {appended:O}");
        var cached = await user.GetInterestsAsync();
        Assert.Equal(first.ComputedAt, cached!.ComputedAt);
        Assert.Equal(first.Refined, cached.Refined);

        await user.AppendAsync(Clicks.For("lazy", 2, firstItem: 4, partition: 0, firstOffset: 10));
        var appendedAgain = DateTimeOffset.UtcNow;
        var second = await user.GetInterestsAsync();
        Assert.Equal(5, second!.EventsSeen);
        Assert.True(second.ComputedAt >= appendedAgain, "new events make the next read recompute");
        Assert.NotEqual(first.Refined, second.Refined);

        // A redelivered (duplicate) click is not a new event: the interests stay cached.
        await user.AppendAsync(Clicks.For("lazy", 1, firstItem: 4, partition: 0, firstOffset: 10));
        Assert.Equal(second.ComputedAt, (await user.GetInterestsAsync())!.ComputedAt);
    }

    [Fact]
    public async Task APublishedModelIsPickedUpAndStoredCodesAreReencoded()
    {
        using var other = new TempDirectory();
        TestModel.CreateAnother(other.Path, seed: 31);
        using var next = InterestModelStore.Load(other.Path);
        await using var silo = await ServingSilo.StartAsync();
        var user = silo.Client.GetGrain<IUserGrain>("migrating");
        var clicks = Clicks.For("migrating", 6);
        await user.AppendAsync(clicks);
        var first = await user.GetInterestsAsync();
        Assert.NotEqual(next.Manifest.CodebookVersion, (await silo.Client.GetGrain<IInferenceGrain>(0).GetModelInfoAsync()).CodebookVersion);

        await silo.Client.GetGrain<IModelRegistryGrain>(0).PublishAsync(new ModelRegistration(next.Manifest.ModelVersion, other.Path, DateTimeOffset.UtcNow));
        var host = silo.Services.GetRequiredService<InterestModelHost>();
        await Eventually.TrueAsync(() => Task.FromResult(host.Info.ModelVersion == next.Manifest.ModelVersion), "the silo to load the published model");

        var second = await user.GetInterestsAsync();
        Assert.Equal(next.Manifest.ModelVersion, second!.ModelVersion);
        Assert.NotEqual(first!.Refined, second.Refined);
        var history = await user.GetHistoryAsync(100);
        foreach (var entry in history)
        {
            Assert.Equal(next.GetItemCode(entry.ItemIndex).Codes, entry.Codes);
        }
    }

    [Fact]
    public async Task AnUnknownItemGetsItsCodesOnceTheCatalogKnowsIt()
    {
        // A bigger synthetic catalog: the first one's ids plus more, so its last id is unknown to the first model.
        var bigger = SyntheticDataset.Generate(new SyntheticOptions { Users = 30, Topics = 4, ItemsPerTopic = 25, MinLength = 20, MaxLength = 40 }).Dataset;
        var newItem = bigger.ItemIds[^1];
        Assert.DoesNotContain(newItem, TestModel.Dataset.ItemIds);
        using var other = new TempDirectory();
        InterestModelStore.CreateUntrained(other.Path, bigger, seed: 5);
        using var next = InterestModelStore.Load(other.Path);

        await using var silo = await ServingSilo.StartAsync();
        var user = silo.Client.GetGrain<IUserGrain>("early-adopter");
        var clicks = Clicks.For("early-adopter", 2).Append(new ClickEvent("early-adopter", newItem, Clicks.Start.AddDays(1), "click", null)).ToArray();
        Assert.Equal(1, (await user.AppendAsync(clicks)).UnknownItems);
        Assert.Empty((await user.GetHistoryAsync(1))[0].Codes);

        await silo.Client.GetGrain<IModelRegistryGrain>(0).PublishAsync(new ModelRegistration(next.Manifest.ModelVersion, other.Path, DateTimeOffset.UtcNow));
        var host = silo.Services.GetRequiredService<InterestModelHost>();
        await Eventually.TrueAsync(() => Task.FromResult(host.Info.ModelVersion == next.Manifest.ModelVersion), "the silo to load the bigger catalog");
        Assert.Equal(next.Manifest.ModelVersion, (await user.GetInterestsAsync())!.ModelVersion);

        var newest = (await user.GetHistoryAsync(1))[0];
        Assert.True(next.Catalog.TryGetIndex(newItem, out var index));
        Assert.Equal(index, newest.ItemIndex);
        Assert.Equal(next.GetItemCode(index).Codes, newest.Codes);
    }

    [Fact]
    public async Task InvalidSettingsStopTheSiloAtStart()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            ServingSilo.StartAsync(new Dictionary<string, string> { ["Users:HistoryCap"] = "0" }));
        Assert.Contains("HistoryCap", error.Message, StringComparison.Ordinal);
    }
}
