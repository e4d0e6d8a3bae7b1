using HyMiRec.Model.Data;

namespace HyMiRec.UnitTests.Data;

/// <summary>Loads the real MovieLens-100K when it sits next to the repository; the files are never in the repo.</summary>
public sealed class MovieLens100KSmokeTests
{
    [Fact]
    public void Loads_ml100k_and_splits_leave_one_out()
    {
        var path = Requirements.FindDataset("ml-100k");
        Assert.SkipWhen(path is null, "MovieLens-100K is not here: no shared/datasets/ml-100k above " + AppContext.BaseDirectory + " (the files are never in the repository)");

        var data = MovieLensReader.Load(path);
        Assert.Equal("ml-100k", data.Name);
        Assert.Equal(943, data.Users.Count);
        Assert.Equal(1682, data.ItemCount);
        Assert.Equal(100_000, data.InteractionCount);
        Assert.Equal("Toy Story (1995) | Animation, Children's, Comedy", data.ItemTexts[1]);
        Assert.All(data.Users, u => Assert.True(u.Timestamps.Zip(u.Timestamps.Skip(1)).All(p => p.First <= p.Second)));
        Assert.All(data.Users, u => Assert.Equal(u.Items.Length, u.Items.Distinct().Count()));

        var split = LeaveOneOutSplit.Create(data);
        Assert.Equal(943, split.Validation.Length);
        Assert.Equal(943, split.Test.Length);
        Assert.Equal(100_000 - (2 * 943), split.Train.Sum(t => t.Length));
    }
}
