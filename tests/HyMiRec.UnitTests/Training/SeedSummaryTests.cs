using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using HyMiRec.Training;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Commands;

namespace HyMiRec.UnitTests.Training;

public sealed class SeedSummaryTests
{
    [Fact]
    public void Mean_and_sample_standard_deviation_over_seeds()
    {
        var statistic = SeedSummary.Of([0.1, 0.2, 0.6]);

        Assert.Equal(0.3, statistic.Mean, 12);
        Assert.Equal(Math.Sqrt(0.07), statistic.Std, 6); // squared deviations 0.04 + 0.01 + 0.09, over n - 1 = 2
        Assert.Equal([0.1, 0.2, 0.6], statistic.PerSeed);
        Assert.Equal(0, SeedSummary.Of([0.25]).Std);
    }

    [Fact]
    public void Paired_differences_are_taken_per_seed_against_the_first_model()
    {
        var report = SeedSummary.Aggregate([42, 1, 2], [Run(0.10, 0.30), Run(0.20, 0.30), Run(0.30, 0.60)]);

        Assert.Equal([42, 1, 2], report.Seeds);
        Assert.Equal("popularity", report.Baseline);
        var baseline = report.Results[0];
        var sasrec = report.Results[1];
        Assert.Null(baseline.PairedDifference);
        Assert.Null(baseline.Settings);
        Assert.Equal(64, sasrec.Settings!["model"]!["dimension"]!.GetValue<int>()); // one set for every seed
        Assert.Equal(0.2, baseline.Metric("recall@10").Mean, 12);
        Assert.Equal(0.1, baseline.Metric("recall@10").Std, 12);
        Assert.Equal(0.4, sasrec.Metric("recall@10").Mean, 12);

        // Per seed 0.2, 0.1, 0.3: mean 0.2 and std 0.1, although sasrec's own std (0.173) is larger.
        var difference = sasrec.PairedDifference!["recall@10"];
        Assert.Equal([0.2, 0.1, 0.3], difference.PerSeed.Select(v => Math.Round(v, 9)));
        Assert.Equal(0.2, difference.Mean, 12);
        Assert.Equal(0.1, difference.Std, 12);
        Assert.Equal(2.0, sasrec.TrainSeconds);

        var table = MarkdownTable.Render(report);
        Assert.Contains("| sasrec | 0.4000 ± 0.1732 |", table, StringComparison.Ordinal);
        Assert.Contains("| sasrec | +0.2000 ± 0.1000 [+0.2000, +0.1000, +0.3000] |", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_has_seeds_and_mean_std_objects_while_one_seed_keeps_the_flat_shape()
    {
        var text = JsonSerializer.Serialize(SeedSummary.Aggregate([1, 2], [Run(0.1, 0.3), Run(0.2, 0.5)]));
        var multi = JsonNode.Parse(text)!;
        Assert.Equal([1, 2], multi["seeds"]!.AsArray().Select(s => s!.GetValue<int>()));
        var row = multi["results"]![1]!;
        Assert.Equal("sasrec", row["model"]!.GetValue<string>());
        foreach (var key in MarkdownTable.MetricKeys)
        {
            Assert.NotNull(row[key]!["mean"]);
            Assert.NotNull(row[key]!["std"]);
            Assert.NotNull(row["paired_difference"]![key]!["per_seed"]);
        }

        Assert.Null(multi["results"]![0]!["paired_difference"]);
        Assert.Equal(0.4, JsonSerializer.Deserialize<BenchmarkReport>(text)!.Results[1].Metric("recall@10"), 12); // readers see the mean

        var single = JsonNode.Parse(JsonSerializer.Serialize(Run(0.1, 0.3)))!;
        Assert.Equal(["dataset", "protocol", "users", "items", "interactions", "quick", "results"], single.AsObject().Select(p => p.Key));
        Assert.Equal(0.3, single["results"]![1]!["recall@10"]!.GetValue<double>());
    }

    [Theory]
    [InlineData("--seeds", "1,x", "--seeds: 'x' is not an integer")]
    [InlineData("--seeds", "1,2,1", "repeats a seed")]
    [InlineData("--seed", "3", "give --seed or --seeds, not both")]
    public void Bad_seed_options_are_usage_errors(string option, string value, string message)
    {
        var error = new StringWriter();
        string[] args = option == "--seed" ? ["benchmark", "--data", "synthetic", "--seeds", "1,2", "--seed", value] : ["benchmark", "--data", "synthetic", option, value];

        var code = Cli.Run(new RootCommand { BenchmarkCommand.Create() }, args, new StringWriter(), error);

        Assert.Equal(Cli.UsageExitCode, code);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Benchmark_with_seeds_writes_the_multi_seed_json()
    {
        using var dir = new TempDirectory();
        dir.Write("tiny.txt", [.. Enumerable.Range(0, 60).Select(i => $"{(i % 6) + 1} {(i * 7 % 13) + 1}")]);
        var output = dir.File("out.json");

        var code = Cli.Run(new RootCommand { BenchmarkCommand.Create() },
            ["benchmark", "--data", dir.Path, "--models", "popularity", "--seeds", "3,4", "--out", output], new StringWriter(), new StringWriter());

        Assert.Equal(0, code);
        var json = JsonNode.Parse(File.ReadAllText(output))!;
        Assert.Equal("tiny", json["dataset"]!.GetValue<string>());
        Assert.Equal([3, 4], json["seeds"]!.AsArray().Select(s => s!.GetValue<int>()));
        Assert.Equal(0, json["results"]![0]!["ndcg@10"]!["std"]!.GetValue<double>()); // popularity has no randomness
    }

    /// <summary>One seed's report: popularity and sasrec with the given recall@10 (other metrics equal to it), 1 s and 2 s of training.</summary>
    private static BenchmarkReport Run(double popularity, double sasrec) => new("toy", "leave-one-out", 10, 20, 100, Quick: true,
    [
        new BenchmarkRow { Model = "popularity", Metrics = MarkdownTable.MetricKeys.ToDictionary(k => k, _ => (object)popularity), TrainSeconds = 1, Params = 20 },
        new BenchmarkRow
        {
            Model = "sasrec", Metrics = MarkdownTable.MetricKeys.ToDictionary(k => k, _ => (object)sasrec), TrainSeconds = 2, Params = 500,
            Settings = new JsonObject { ["model"] = new JsonObject { ["dimension"] = 64 } },
        },
    ]);
}
