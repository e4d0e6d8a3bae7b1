using System.CommandLine;
using HyMiRec.Training;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Commands;
using HyMiRec.Training.Training;

namespace HyMiRec.IntegrationTests.Training;

public sealed class BenchmarkTests
{
    [Fact]
    public void Sasrec_trains_and_beats_popularity_on_planted_synthetic_data()
    {
        var settings = new BenchmarkSettings { Data = "synthetic", Models = ["popularity", "sasrec"], Quick = true, Epochs = 20, Seed = 42 };

        var report = BenchmarkRunner.Run(settings, new SilentTrainingReporter());

        var popularity = report.Results.Single(r => r.Model == "popularity");
        var sasrec = report.Results.Single(r => r.Model == "sasrec");
        Assert.True(sasrec.Metric("ndcg@10") > popularity.Metric("ndcg@10"), $"sasrec {sasrec.Metric("ndcg@10")} vs popularity {popularity.Metric("ndcg@10")}");
        Assert.True(sasrec.Metric("recall@10") > popularity.Metric("recall@10"));
        Assert.Contains(report.Results, r => r.Model.StartsWith("sasrec+codebook", StringComparison.Ordinal));
        Assert.Contains("history items excluded", report.Protocol, StringComparison.Ordinal);
        Assert.True(sasrec.Params > 0);
        Assert.Equal(42, report.Seed);
        Assert.Equal(20, sasrec.Settings!["training"]!["epochs"]!.GetValue<int>());
        Assert.Null(popularity.Settings);
        var decoded = report.Results.Single(r => r.Model.StartsWith("sasrec+codebook", StringComparison.Ordinal));
        Assert.Equal(SasRecExtras.CodebookLayers, decoded.Settings!["item_codebook"]!["layers"]!.GetValue<int>());
    }

    [Fact]
    public void A_missing_dataset_directory_is_one_clear_line_and_exit_code_2()
    {
        var error = new StringWriter();
        var root = new RootCommand { BenchmarkCommand.Create() };

        var code = Cli.Run(root, ["benchmark", "--data", "/nonexistent/ml-100k"], new StringWriter(), error);

        Assert.Equal(Cli.UsageExitCode, code);
        Assert.StartsWith("error: ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("/nonexistent/ml-100k", error.ToString(), StringComparison.Ordinal);
        Assert.Single(error.ToString().Trim().Split('\n'));
    }

    [Fact]
    public void An_unknown_model_name_is_rejected_before_training()
    {
        var error = new StringWriter();
        var root = new RootCommand { BenchmarkCommand.Create() };

        var code = Cli.Run(root, ["benchmark", "--data", "synthetic", "--models", "popularity,nope"], new StringWriter(), error);

        Assert.Equal(Cli.UsageExitCode, code);
        Assert.Contains("unknown model 'nope'", error.ToString(), StringComparison.Ordinal);
    }
}
