using HyMiRec.Model.Data;
using HyMiRec.Model.Serving;
using HyMiRec.Training;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Training;

namespace HyMiRec.UnitTests.Training;

/// <summary>Data without item text (plain user-item files) trains HyMiRec with the text encoder off, and the artifact says so.</summary>
public sealed class TextlessDataTests
{
    [Fact]
    public void HyMiRec_on_plain_data_runs_without_text_and_the_manifest_records_it()
    {
        using var dir = new TempDirectory();
        dir.Write("tiny.txt", [.. Enumerable.Range(0, 120).Select(i => $"{(i % 12) + 1} {(i * 7 % 23) + 1}")]);
        var dataset = DatasetDirectory.Load(dir.Path);
        var settings = new BenchmarkSettings { Data = dir.Path, Models = ["hymirec"], Epochs = 1, Seed = 3 };
        var log = new StringWriter();

        using var model = (HyMiRecRecommender)ModelCatalog.Create("hymirec", settings, textModel: null, dataset.HasItemText);
        model.Fit(LeaveOneOutSplit.Create(dataset), new ConsoleTrainingReporter(log));
        var manifest = model.SaveArtifact(dir.File("artifact"), dataset, new Dictionary<string, double>());

        Assert.False(model.Network.Options.UseText);
        Assert.Contains("text encoder off", log.ToString(), StringComparison.Ordinal);
        Assert.Equal("false", manifest.Config["useText"]);
        using var served = InterestModelStore.Load(dir.File("artifact"));
        Assert.False(served.Options.UseText);
    }

    [Fact]
    public void A_text_model_for_data_without_text_is_refused_before_the_checkpoint_is_read()
    {
        using var dir = new TempDirectory();
        dir.Write("tiny.txt", "1 1", "1 2");
        var settings = new BenchmarkSettings { Data = dir.Path, TextModel = dir.File("no-checkpoint-here") };

        var error = Assert.Throws<UsageException>(() => ModelCatalog.OpenTextModel(settings, DatasetDirectory.Load(dir.Path)));
        Assert.Equal("--text-model needs item text, and dataset tiny has none", error.Message);
    }
}
