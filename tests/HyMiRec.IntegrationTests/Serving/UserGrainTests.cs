using HyMiRec.Interfaces;

namespace HyMiRec.IntegrationTests.Serving;

public sealed class UserGrainTests(ServingSiloFixture fixture) : IClassFixture<ServingSiloFixture>
{
    private IGrainFactory Grains => fixture.Silo.Client;

    [Fact]
    public async Task AppendedClicksShowInHistoryInterestsAndRecommendations()
    {
        var user = Grains.GetGrain<IUserGrain>("alice");
        var clicks = Clicks.For("alice", 10);
        var result = await user.AppendAsync(clicks);
        Assert.Equal(new AppendResult(10, 0, 0, 10), result);

        var history = await user.GetHistoryAsync(100);
        Assert.Equal(clicks.Reverse().Select(c => c.ItemId), history.Select(h => h.ItemId));
        Assert.Equal(clicks[^1].Timestamp, history[0].Timestamp);
        var info = await Grains.GetGrain<IInferenceGrain>(0).GetModelInfoAsync();
        Assert.All(history, h => Assert.Equal(info.CodebookLayers, h.Codes.Length));
        Assert.All(history, h => Assert.Equal(info.CodebookLayers, h.Magnitudes.Length));
        Assert.Equal(10, history[0].ItemIndex);

        var interests = await user.GetInterestsAsync();
        Assert.NotNull(interests);
        Assert.Equal(info.ModelVersion, interests.ModelVersion);
        Assert.Equal(10, interests.EventsSeen);
        Assert.True(interests.Refined.Length > 0 && interests.Refined.Length % info.Dimension == 0);
        Assert.Equal(1.0, Math.Sqrt(interests.Refined.Take(info.Dimension).Sum(v => (double)v * v)), 3);

        var recommendations = await user.GetRecommendationsAsync(5);
        Assert.Equal(5, recommendations.Count);
        Assert.DoesNotContain(recommendations, r => clicks.Any(c => c.ItemId == r.ItemId));
        Assert.True(recommendations.Zip(recommendations.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Fact]
    public async Task HistoryIsCappedOldestFirstOut()
    {
        var user = Grains.GetGrain<IUserGrain>("capped");
        var clicks = Clicks.For("capped", ServingSiloFixture.HistoryCap + 9);
        await user.AppendAsync(clicks[..5]);
        await user.AppendAsync(clicks[5..]);

        var history = await user.GetHistoryAsync(1000);
        Assert.Equal(ServingSiloFixture.HistoryCap, history.Count);
        Assert.Equal(clicks.TakeLast(ServingSiloFixture.HistoryCap).Reverse().Select(c => c.ItemId), history.Select(h => h.ItemId));
        Assert.Equal(clicks.Length, (await user.GetInterestsAsync())!.EventsSeen);
    }

    [Fact]
    public async Task EventsAtOrBelowTheLastAppliedOffsetAreSkipped()
    {
        var user = Grains.GetGrain<IUserGrain>("replayed");
        Assert.Equal(6, (await user.AppendAsync(Clicks.For("replayed", 6, partition: 2, firstOffset: 100))).Applied);

        // A replay overlapping the first batch (offsets 103..108) plus another partition.
        var replay = Clicks.For("replayed", 6, firstItem: 4, partition: 2, firstOffset: 103).Concat(Clicks.For("replayed", 2, partition: 0, firstOffset: 5)).ToArray();
        var result = await user.AppendAsync(replay);
        Assert.Equal(3, result.Duplicates);
        Assert.Equal(5, result.Applied);
        Assert.Equal(11, (await user.GetHistoryAsync(100)).Count);

        var again = await user.AppendAsync(replay);
        Assert.Equal(new AppendResult(0, replay.Length, 0, 11), again);
    }

    [Fact]
    public async Task UnknownItemsAreKeptWithoutCodes()
    {
        var user = Grains.GetGrain<IUserGrain>("explorer");
        var clicks = Clicks.For("explorer", 3).Append(new ClickEvent("explorer", "not-in-catalog", Clicks.Start.AddDays(1), "click", null)).ToArray();
        var result = await user.AppendAsync(clicks);
        Assert.Equal(1, result.UnknownItems);

        var newest = (await user.GetHistoryAsync(1))[0];
        Assert.Equal("not-in-catalog", newest.ItemId);
        Assert.Equal(0, newest.ItemIndex);
        Assert.Empty(newest.Codes);
        Assert.NotNull(await user.GetInterestsAsync());
    }

    [Fact]
    public async Task BadInputIsRejectedAndNothingIsApplied()
    {
        var user = Grains.GetGrain<IUserGrain>("strict");
        var mixed = Clicks.For("strict", 2).Append(Clicks.For("someone-else", 1)[0]).ToArray();
        await Assert.ThrowsAsync<ArgumentException>(() => user.AppendAsync(mixed));
        Assert.Empty(await user.GetHistoryAsync(10));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => user.GetHistoryAsync(0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => user.GetRecommendationsAsync(0));
        Assert.Null(await user.GetInterestsAsync());
        Assert.Empty(await user.GetRecommendationsAsync(3));
    }

    [Fact]
    public async Task ClicksOnTheImplicitStreamReachTheUserGrainOnce()
    {
        var provider = fixture.Silo.Client.GetStreamProvider(StreamNames.ClickProvider);
        var stream = provider.GetStream<ClickEvent>(StreamId.Create(StreamNames.ClickNamespace, "streamer"));
        var clicks = Clicks.For("streamer", 8, partition: 1, firstOffset: 40);
        foreach (var click in clicks.Concat(clicks[..3]))
        {
            await stream.OnNextAsync(click);
        }

        var user = Grains.GetGrain<IUserGrain>("streamer");
        await Eventually.TrueAsync(async () => (await user.GetHistoryAsync(100)).Count == clicks.Length, "8 streamed clicks in the history");
        await stream.OnNextAsync(Clicks.For("streamer", 1, firstItem: 30, partition: 1, firstOffset: 48)[0]);
        await Eventually.TrueAsync(async () => (await user.GetHistoryAsync(100)).Count == clicks.Length + 1, "the ninth click");
        Assert.Equal(clicks.Length + 1, (await user.GetInterestsAsync())!.EventsSeen);
    }
}
