using HyMiRec.Model.Data;
using HyMiRec.Model.Interests;
using HyMiRec.Model.Serving;

namespace HyMiRec.UnitTests.Serving;

public sealed class InterestModelStoreTests
{
    private static readonly InteractionDataset Dataset =
        SyntheticDataset.Generate(new SyntheticOptions { Users = 40, Topics = 4, ItemsPerTopic = 20, MinLength = 60, MaxLength = 80 }).Dataset;

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the coarse state joins the refined prefix; serving still reports the c coarse interests
    public void BatchedInterestsEqualOneAtATime(bool coarseStateToken)
    {
        using var dir = new TempDirectory();
        InterestModelStore.CreateUntrained(dir.Path, Dataset, seed: 3, new HyMiRecOptions { CoarseStateToken = coarseStateToken });
        using var model = InterestModelStore.Load(dir.Path);
        var requests = Dataset.Users.Take(6).Select((u, i) => model.RequestFor(u.Items[..(5 + (i * 9))])).ToList();
        requests.Add(new InterestRequest([], [], []));

        var batched = model.ComputeInterests(requests);
        for (var i = 0; i < requests.Count; i++)
        {
            var single = model.ComputeInterests([requests[i]])[0];
            Assert.Equal(model.RefinedInterests * model.Dimension, single.Refined.Length);
            Assert.Equal(model.CoarseInterests * model.Dimension, single.Coarse.Length);
            AssertClose(single.Refined, batched[i].Refined);
            AssertClose(single.Coarse, batched[i].Coarse);
        }

        Assert.NotEqual(batched[0].Refined, batched[5].Refined);
    }

    [Fact]
    public void RecommendSkipsExcludedItemsAndRanksByBestInterest()
    {
        using var dir = new TempDirectory();
        InterestModelStore.CreateUntrained(dir.Path, Dataset, seed: 5);
        using var model = InterestModelStore.Load(dir.Path);
        var history = Dataset.Users[0].Items[..12];
        var interests = model.ComputeInterests([model.RequestFor(history)])[0];
        var all = model.Recommend(interests, model.Catalog.ItemCount);
        Assert.Equal(model.Catalog.ItemCount, all.Count);
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Score >= p.Second.Score));

        var seen = history.ToHashSet();
        var top = model.Recommend(interests, 10, seen);
        Assert.Equal(10, top.Count);
        Assert.DoesNotContain(top, s => seen.Contains(s.ItemIndex));
        Assert.Equal(all.Where(s => !seen.Contains(s.ItemIndex)).Take(10).Select(s => s.ItemIndex), top.Select(s => s.ItemIndex));
    }

    [Fact]
    public void LoadRoundTripsCatalogAndRejectsDamagedFiles()
    {
        using var dir = new TempDirectory();
        var manifest = InterestModelStore.CreateUntrained(dir.Path, Dataset, seed: 7);
        using (var model = InterestModelStore.Load(dir.Path))
        {
            Assert.Equal(manifest.ModelVersion, model.Manifest.ModelVersion);
            Assert.Equal(Dataset.ItemIds, model.Catalog.ItemIds);
            Assert.Equal(Dataset.ItemTexts, model.Catalog.ItemTexts);
            Assert.True(model.Catalog.TryGetIndex(Dataset.ItemIds[5], out var index));
            Assert.Equal(5, index);
            Assert.Equal(model.CodebookLayers, model.GetItemCode(5).Codes.Length);
        }

        var weights = Path.Combine(dir.Path, "network.bin");
        var bytes = File.ReadAllBytes(weights);
        bytes[^1] ^= 0x5a;
        File.WriteAllBytes(weights, bytes);
        var error = Assert.Throws<InvalidDataException>(() => InterestModelStore.Load(dir.Path));
        Assert.Contains("network.bin", error.Message, StringComparison.Ordinal);

        Assert.Throws<FileNotFoundException>(() => InterestModelStore.Load(Path.Combine(dir.Path, "absent")));
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-4, $"index {i}: {expected[i]} vs {actual[i]}");
        }
    }
}
