using HyMiRec.Grains.Inference;
using HyMiRec.Interfaces;
using HyMiRec.Model.Serving;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HyMiRec.UnitTests.Serving;

public sealed class InferenceBatchingTests
{
    [Fact]
    public async Task ConcurrentRequestsBecomeFewBatchesWithOneAtATimeResults()
    {
        await using var host = NewHost(maxBatch: 32, maxWaitMs: 500);
        using var reference = InterestModelStore.Load(TestModel.Directory);
        host.Start(InterestModelStore.Load(TestModel.Directory));

        var users = TestModel.Dataset.Users.Take(12).ToArray();
        var inputs = users.Select((u, i) => Input(reference, u.Items[..(3 + i)])).ToArray();
        var results = await Task.WhenAll(inputs.Select(host.ComputeAsync));

        Assert.True(host.Batches < inputs.Length, $"{host.Batches} batches for {inputs.Length} requests");
        for (var i = 0; i < inputs.Length; i++)
        {
            var single = reference.ComputeInterests([ToRequest(inputs[i])])[0];
            AssertClose(single.Coarse, results[i].Coarse);
            AssertClose(single.Refined, results[i].Refined);
            Assert.Equal(reference.Manifest.ModelVersion, results[i].ModelVersion);
        }
    }

    [Fact]
    public async Task TheBatchGrowsWithTheQueueAndAnOverfullQueueRefusesAtOnce()
    {
        var options = new InferenceOptions { MaxBatchSize = 64, MaxWaitMs = 0, MaxForwardBatchSize = 64, MaxPaddingWaste = 1, MaxQueueLength = 10 };
        await using var host = new InterestModelHost(Options.Create(options), NullLogger<InterestModelHost>.Instance);
        using var reference = InterestModelStore.Load(TestModel.Directory);
        var input = Input(reference, TestModel.Dataset.Users[0].Items[..5]);

        // Queued before the model is loaded: the first drain takes all eleven; past the bound a waiting caller is
        // refused at once, while a recompute started by ingest (coalesced per user) is still queued.
        var queued = Enumerable.Range(0, 10).Select(_ => host.ComputeAsync(input)).ToList();
        Assert.Throws<InferenceOverloadedException>(() => { _ = host.ComputeAsync(input); });
        var served = InterestModelStore.Load(TestModel.Directory);
        queued.Add(host.ComputeAsync(served.Catalog, [.. TestModel.Dataset.Users[0].Items[..5]], recent: 3, refuseWhenFull: false));
        Assert.Throws<InferenceOverloadedException>(() => { _ = host.ComputeAsync(served.Catalog, [1, 2], recent: 1, refuseWhenFull: true); });
        host.Start(served);
        await Task.WhenAll(queued);
        Assert.Equal(1, host.Batches);

        // A lone request is its own pass.
        await host.ComputeAsync(input);
        Assert.Equal(2, host.Batches);
    }

    [Fact]
    public async Task BatchSizeIsCappedAndEveryRequestIsAnswered()
    {
        await using var host = NewHost(maxBatch: 4, maxWaitMs: 50);
        host.Start(InterestModelStore.Load(TestModel.Directory));
        using var reference = InterestModelStore.Load(TestModel.Directory);
        var inputs = TestModel.Dataset.Users.Take(10).Select(u => Input(reference, u.Items[..5])).ToArray();
        var results = await Task.WhenAll(inputs.Select(host.ComputeAsync));
        Assert.Equal(10, results.Length);
        Assert.True(host.Batches >= 3, $"batches of at most 4 need at least 3 passes; saw {host.Batches}");
    }

    [Fact]
    public async Task SwitchingModelsDropsNoRequest()
    {
        using var other = new TempDirectory();
        TestModel.CreateAnother(other.Path, seed: 23);
        await using var host = NewHost(maxBatch: 8, maxWaitMs: 1);
        host.Start(InterestModelStore.Load(TestModel.Directory));
        using var reference = InterestModelStore.Load(TestModel.Directory);
        var input = Input(reference, TestModel.Dataset.Users[0].Items[..6]);
        var before = Enumerable.Range(0, 40).Select(_ => host.ComputeAsync(input)).ToArray();
        var next = InterestModelStore.Load(other.Path);
        host.Switch(next);
        var after = await host.ComputeAsync(input);

        var done = await Task.WhenAll(before);
        Assert.All(done, r => Assert.NotEmpty(r.Refined));
        Assert.Equal(next.Manifest.ModelVersion, after.ModelVersion);
        Assert.Equal(next.Manifest.ModelVersion, host.Info.ModelVersion);
    }

    [Fact]
    public async Task BucketedPassesGiveEveryCallerItsOneAtATimeResult()
    {
        // Queued before Start with MaxWaitMs 0, so the loop drains all of them as one batch.
        await using var host = NewHost(maxBatch: 64, maxWaitMs: 0, maxForward: 3, maxWaste: 0.5);
        using var reference = InterestModelStore.Load(TestModel.Directory);
        var random = new Random(5);
        int[] lengths = [3, 150, 5, 140, 8, 4, 160, 6, 7, 1];
        var inputs = lengths.Select(n => Input(reference, [.. Enumerable.Range(0, n).Select(_ => 1 + random.Next(reference.Catalog.ItemCount))])).ToArray();
        var pending = inputs.Select(host.ComputeAsync).ToArray();
        host.Start(InterestModelStore.Load(TestModel.Directory));
        var results = await Task.WhenAll(pending);

        var passes = HistoryBuckets.Plan(HistoryBuckets.Lengths([.. inputs.Select(ToRequest)], reference), 3, 0.5).Count;
        Assert.True(passes > 2, $"the mix should need several passes; planned {passes}");
        Assert.Equal(passes, host.Batches);
        for (var i = 0; i < inputs.Length; i++)
        {
            var single = reference.ComputeInterests([ToRequest(inputs[i])])[0];
            AssertClose(single.Coarse, results[i].Coarse);
            AssertClose(single.Refined, results[i].Refined);
        }
    }

    [Fact]
    public async Task AFailingPassFailsOnlyItsOwnCallers()
    {
        await using var host = NewHost(maxBatch: 64, maxWaitMs: 0, maxForward: 16, maxWaste: 0.5);
        using var reference = InterestModelStore.Load(TestModel.Directory);
        var items = TestModel.Dataset.Users[0].Items;
        var good = Enumerable.Range(0, 4).Select(i => Input(reference, items[..(3 + i)])).ToArray();
        var longOne = Input(reference, [.. Enumerable.Repeat(items, 4).SelectMany(i => i)]);
        // A code outside the codebook makes the model reject the long request's pass.
        var bad = longOne with { HistoryCodes = [.. longOne.HistoryCodes[..^1], ushort.MaxValue] };
        var goodCalls = good.Select(host.ComputeAsync).ToArray();
        var badCall = host.ComputeAsync(bad);
        host.Start(InterestModelStore.Load(TestModel.Directory));

        await Assert.ThrowsAsync<ArgumentException>(() => badCall);
        var results = await Task.WhenAll(goodCalls);
        Assert.Equal(2, host.Batches);
        for (var i = 0; i < good.Length; i++)
        {
            AssertClose(reference.ComputeInterests([ToRequest(good[i])])[0].Refined, results[i].Refined);
        }
    }

    [Fact]
    public async Task ACallerWaitingOnTheAnswerGoesBeforeQueuedIngestRecomputes()
    {
        // One request per pass, all queued before the model is loaded: the passes run in lane order.
        await using var host = NewHost(maxBatch: 1, maxWaitMs: 0);
        var served = InterestModelStore.Load(TestModel.Directory);
        var items = TestModel.Dataset.Users[0].Items;
        var ingest = Enumerable.Range(0, 5).Select(i => host.ComputeAsync(served.Catalog, [.. items[..(3 + i)]], recent: 2)).ToArray();
        var read = host.ComputeAsync(served.Catalog, [.. items[..4]], recent: 2, refuseWhenFull: true);
        Assert.Equal(6, host.QueueLength);
        host.Start(served);

        var first = await Task.WhenAny([read, .. ingest]);
        Assert.Same(read, first);
        await Task.WhenAll(ingest);
        Assert.Equal(6, host.Batches);
        Assert.Equal(0, host.QueueLength);
    }

    [Fact]
    public async Task TheForwardPassRunsOnTheInferenceThreadNotOnTheThreadPool()
    {
        await using var host = NewHost(maxBatch: 8, maxWaitMs: 0);
        var served = new ObservedModel(InterestModelStore.Load(TestModel.Directory));
        host.Start(served);
        await host.ComputeAsync(served.Catalog, [.. TestModel.Dataset.Users[0].Items[..5]], recent: 2);
        Assert.Equal("hymirec-inference", served.ThreadName);
        Assert.False(served.OnThreadPool);
    }

    private static InterestModelHost NewHost(int maxBatch, int maxWaitMs, int? maxForward = null, double? maxWaste = null)
    {
        var options = new InferenceOptions { MaxBatchSize = maxBatch, MaxWaitMs = maxWaitMs };
        options.MaxForwardBatchSize = maxForward ?? options.MaxForwardBatchSize;
        options.MaxPaddingWaste = maxWaste ?? options.MaxPaddingWaste;
        return new(Options.Create(options), NullLogger<InterestModelHost>.Instance);
    }

    private static InferenceInput Input(HyMiRecInterestModel model, int[] items) => new(
        items.SelectMany(i => model.GetItemCode(i).Codes).ToArray(),
        items.SelectMany(i => model.GetItemCode(i).Magnitudes).Select(BitConverter.HalfToUInt16Bits).ToArray(),
        items.TakeLast(model.RecentLength).ToArray());

    private static InterestRequest ToRequest(InferenceInput input) =>
        new(input.HistoryCodes, input.HistoryMagnitudeBits.Select(BitConverter.UInt16BitsToHalf).ToArray(), input.RecentItems);

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-4, $"index {i}: {expected[i]} vs {actual[i]}");
        }
    }
}
