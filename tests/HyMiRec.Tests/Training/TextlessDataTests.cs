using HyMiRec.Model.Data;
using HyMiRec.Model.Pretrained;
using HyMiRec.Model.Serving;
using HyMiRec.Tests.Pretrained;
using HyMiRec.Trainer;
using HyMiRec.Trainer.Benchmark;
using HyMiRec.Trainer.Training;

namespace HyMiRec.Tests.Training;

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
    public void A_text_model_for_data_without_text_is_a_usage_error()
    {
        var settings = new BenchmarkSettings { Data = "x", Models = ["hymirec"] };
        using var dir = new TempDirectory();
        TinyLlama.Write(dir.Path, seed: 1);
        var checkpoint = LlamaCheckpoint.Open(dir.Path);

        var error = Assert.Throws<UsageException>(() => ModelCatalog.Create("hymirec", settings, checkpoint, itemText: false));
        Assert.Contains("--text-model needs item text", error.Message, StringComparison.Ordinal);
    }
}
