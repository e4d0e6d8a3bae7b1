using System.CommandLine;
using HyMiRec.Model.Serving;
using HyMiRec.Training;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Commands;

namespace HyMiRec.IntegrationTests.Training;

/// <summary>
/// `trainer train --select` end to end, two epochs per candidate, on 60 users over 40 items: the built-in synthetic
/// set (300 users) makes the three candidates take over a minute on two shared cores, and the decision does not
/// need more data.
/// </summary>
public sealed class ModelSelectionTests
{
    [Fact]
    public void Train_select_publishes_only_the_best_validated_candidate_and_records_every_score()
    {
        using var dir = new TempDirectory();
        var data = TinyData(dir);
        var root = dir.File("store");
        var output = new StringWriter();
        var error = new StringWriter();

        var code = Cli.Run(new RootCommand { TrainCommand.Create() },
            ["train", "--data", data, "--epochs", "2", "--seed", "1", "--select", "--store", root], output, error);

        Assert.True(code == 0, error.ToString());
        var store = new ModelStore(root);
        var version = Assert.Single(store.Versions());
        var manifest = InterestModelStore.Verify(store.DirectoryOf(version));
        var selection = manifest.Selection!;
        Assert.Equal(SelectionGrid.Metric, selection.Metric);
        Assert.Equal(SelectionGrid.Default, selection.Candidates.Select(c => c.Model));
        Assert.All(selection.Candidates, c => Assert.True(double.IsFinite(c.Validation) && c.Validation >= 0 && c.Epochs >= 1, $"{c}"));
        var chosen = selection.Candidates.Single(c => c.Model == selection.Chosen);
        Assert.Equal(selection.Candidates.Max(c => c.Validation), chosen.Validation);
        Assert.Equal(selection.Candidates.First(c => c.Validation == chosen.Validation), chosen); // ties keep the earlier
        Assert.Equal((chosen.RefinedQueries, chosen.TargetWindow),
            (int.Parse(manifest.Config["refinedQueries"], System.Globalization.CultureInfo.InvariantCulture),
             int.Parse(manifest.Config["targetWindow"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(manifest.Metrics.ContainsKey("test/ndcg@10"));
        Assert.Contains($"selected {selection.Chosen}", output.ToString());
    }

    [Fact]
    public void Train_select_with_decays_keeps_the_chosen_decay_for_retraining()
    {
        using var dir = new TempDirectory();
        var data = TinyData(dir);
        var artifact = dir.File("model");
        var error = new StringWriter();

        var code = Cli.Run(new RootCommand { TrainCommand.Create() },
            ["train", "--data", data, "--epochs", "2", "--seed", "1", "--select-grid", "hymirec-s1-w1", "--select-weight-decay", "0.1,0", "--out", artifact],
            new StringWriter(), error);

        Assert.True(code == 0, error.ToString());
        var manifest = InterestModelStore.Verify(artifact);
        var selection = manifest.Selection!;
        Assert.Equal([("hymirec-s1-w1+wd0", 0.0), ("hymirec-s1-w1+wd0.1", 0.1)], selection.Candidates.Select(c => (c.Model, c.WeightDecay!.Value)));
        var chosen = selection.Candidates.Single(c => c.Model == selection.Chosen);
        Assert.Equal(selection.Candidates.Max(c => c.Validation), chosen.Validation);
        Assert.Equal(chosen.WeightDecay, manifest.Metrics[TrainingRecipe.WeightDecayMetric]); // what `retrain` keeps
    }

    private static string TinyData(TempDirectory dir)
    {
        var data = Path.Combine(dir.Path, "tiny");
        Directory.CreateDirectory(data);
        File.WriteAllLines(Path.Combine(data, "tiny.txt"),
            Enumerable.Range(1, 60).SelectMany(user => Enumerable.Range(0, 12).Select(step => $"{user} {1 + ((user * 7) + (step * 3)) % 40}")));
        return data;
    }
}
