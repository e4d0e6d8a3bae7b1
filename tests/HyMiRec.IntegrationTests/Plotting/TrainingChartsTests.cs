using System.CommandLine;
using HyMiRec.Training;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Commands;
using HyMiRec.Training.Plotting;

namespace HyMiRec.IntegrationTests.Plotting;

/// <summary>`train` and `benchmark` write their charts beside their output, on data small enough to train in seconds.</summary>
public sealed class TrainingChartsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _data;

    public TrainingChartsTests()
    {
        // 60 users walking through 40 items in small steps: a SASRec-style "user item" file, read as a dataset directory.
        var lines = new List<string>();
        for (var user = 1; user <= 60; user++)
        {
            for (var step = 0; step < 12; step++)
            {
                lines.Add($"{user} {1 + ((user * 7) + (step * 3)) % 40}");
            }
        }

        _data = Path.Combine(_dir.Path, "tiny");
        Directory.CreateDirectory(_data);
        File.WriteAllLines(Path.Combine(_data, "tiny.txt"), lines);
    }

    [Fact]
    public void Train_writes_the_loss_and_validation_curves_beside_the_artifact()
    {
        var artifact = _dir.File("model");
        var (code, output, error) = Run(TrainCommand.Create(), "train", "--data", _data, "--epochs", "2", "--seed", "1", "--out", artifact);

        Assert.True(code == 0, error);
        var curves = artifact + ".curves.png";
        Assert.Contains(curves, output);
        Assert.Equal((CurveChart.DefaultWidth, CurveChart.DefaultHeight), PngFile.Size(curves));
        Assert.Empty(Directory.EnumerateFiles(artifact, "*.png"));
    }

    [Fact]
    public void Train_into_a_store_writes_the_curves_beside_current_named_by_version()
    {
        var root = _dir.File("store");
        var (code, _, error) = Run(TrainCommand.Create(), "train", "--data", _data, "--epochs", "2", "--seed", "1", "--weight-decay", "0.1",
            "--coarse-positions", "8", "--position-weight", "0.5", "--stage-one-epochs", "1", "--store", root);

        Assert.True(code == 0, error);
        var store = new HyMiRec.Model.Serving.ModelStore(root);
        var version = Assert.Single(store.Versions());
        Assert.Equal(version, store.CurrentVersion());
        Assert.Equal((CurveChart.DefaultWidth, CurveChart.DefaultHeight), PngFile.Size(Path.Combine(root, version + ".curves.png")));
        // The manifest records the decay, so a later `trainer retrain` of this version keeps it.
        var manifest = HyMiRec.Model.Serving.InterestModelStore.Verify(store.DirectoryOf(version));
        Assert.Equal(0.1, manifest.Metrics[TrainingRecipe.WeightDecayMetric]);
        // And the coarse loss it trained with: the default weight, the positions the flag asked for.
        Assert.Equal((1.0, 8.0), (manifest.Metrics[TrainingRecipe.CoarseWeightMetric], manifest.Metrics[TrainingRecipe.CoarsePositionsMetric]));
        // And the rest of the recipe flags `train` shares with `benchmark`, given or not.
        Assert.Equal((0.5, 1.0), (manifest.Metrics[TrainingRecipe.PositionWeightMetric], manifest.Metrics[TrainingRecipe.StageOneEpochsMetric]));
        Assert.Equal(1.0, manifest.Metrics[TrainingRecipe.MergedWeightMetric]);
        Assert.False(manifest.Metrics.ContainsKey(TrainingRecipe.NegativesMetric)); // the full softmax: no negatives were asked for
    }

    [Fact]
    public void Benchmark_writes_a_bar_chart_and_the_curves_beside_its_json()
    {
        var json = _dir.File("results.json");
        var (code, _, error) = Run(BenchmarkCommand.Create(), "benchmark", "--data", _data, "--models", "popularity,sasrec", "--epochs", "2", "--out", json);

        Assert.True(code == 0, error);
        Assert.True(File.Exists(json));
        Assert.Equal((MetricBarChart.DefaultWidth, MetricBarChart.DefaultHeight), PngFile.Size(_dir.File("results.png")));
        Assert.Equal((CurveChart.DefaultWidth, CurveChart.DefaultHeight), PngFile.Size(_dir.File("results.curves.png")));
    }

    [Fact]
    public void Benchmark_refuses_an_out_file_the_charts_would_overwrite_before_training()
    {
        var (code, _, error) = Run(BenchmarkCommand.Create(), "benchmark", "--data", _data, "--models", "popularity", "--out", _dir.File("results.png"));

        Assert.Equal(Cli.UsageExitCode, code);
        Assert.Contains("overwrite", error);
        Assert.False(File.Exists(_dir.File("results.png")));
    }

    public void Dispose() => _dir.Dispose();

    private static (int Code, string Output, string Error) Run(Command command, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Cli.Run(new RootCommand { command }, args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
