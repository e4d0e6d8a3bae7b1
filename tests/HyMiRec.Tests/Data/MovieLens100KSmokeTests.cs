using HyMiRec.Model.Data;
using Xunit.Abstractions;

namespace HyMiRec.Tests.Data;

/// <summary>Loads the real MovieLens-100K when it sits next to the repository; the files are never in the repo.</summary>
public sealed class MovieLens100KSmokeTests(ITestOutputHelper output)
{
    internal static string? FindDataset(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "datasets", name);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    [Fact]
    public void Loads_ml100k_and_splits_leave_one_out()
    {
        var path = FindDataset("ml-100k");
        if (path is null)
        {
            output.WriteLine("skipped: shared/datasets/ml-100k not found above " + AppContext.BaseDirectory);
            return;
        }

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
