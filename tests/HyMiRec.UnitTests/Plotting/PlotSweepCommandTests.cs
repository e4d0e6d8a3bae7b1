using System.CommandLine;
using HyMiRec.Training;
using HyMiRec.Training.Commands;

namespace HyMiRec.UnitTests.Plotting;

public sealed class PlotSweepCommandTests
{
    // A multi-seed row (metric as {mean, std, per_seed}) next to single-run rows, as files from both kinds of run mix.
    private const string Results = """
        {"dataset": "synthetic", "protocol": "leave-one-out", "users": 1, "items": 1, "interactions": 1, "quick": true, "results": [
          {"model": "hymirec", "recall@10": {"mean": 0.20, "std": 0.02, "per_seed": [0.18, 0.22]}, "train_seconds": 1, "params": 1},
          {"model": "hymirec-s1", "recall@10": 0.15, "train_seconds": 1, "params": 1},
          {"model": "hymirec-w8", "recall@10": 0.17, "train_seconds": 1, "params": 1},
          {"model": "sasrec", "recall@10": 0.30, "train_seconds": 1, "params": 1}
        ]}
        """;

    [Theory]
    [InlineData(640, 300)]
    [InlineData(1500, 700)]
    public void Writes_a_png_of_the_requested_size_with_the_mean_and_std_in_the_table(int width, int height)
    {
        using var dir = new TempDirectory();
        var png = dir.File("sweep.png");
        var (code, output, error) = Run("plot-sweep", "--results", dir.Write("r.json", Results), "--out", png,
            "--width", width.ToString(System.Globalization.CultureInfo.InvariantCulture), "--height", height.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(code == 0, error);
        Assert.Equal((width, height), PngFile.Size(png));
        Assert.Contains("panels: recall@10 vs s (w = 4); recall@10 vs w (s = 3)", output);
        Assert.Contains("| hymirec | 3 | 4 | 0.2000 ± 0.0200 |", output);
        Assert.Contains("| hymirec-s1 | 1 | 4 | 0.1500 |", output);
        Assert.DoesNotContain("sasrec", output);
    }

    [Fact]
    public void Each_panel_holds_the_other_setting_where_the_results_vary_it_not_at_the_default()
    {
        // A w sweep run at s = 2 (the paper's s) and an s sweep at w = 4; the default s is 3.
        const string AroundTwo = """
            {"dataset": "synthetic", "protocol": "leave-one-out", "users": 1, "items": 1, "interactions": 1, "quick": true, "results": [
              {"model": "hymirec-s2-w4", "recall@10": 0.20, "train_seconds": 1, "params": 1},
              {"model": "hymirec-s2-w2", "recall@10": 0.19, "train_seconds": 1, "params": 1},
              {"model": "hymirec-s2-w8", "recall@10": 0.18, "train_seconds": 1, "params": 1},
              {"model": "hymirec-s1-w4", "recall@10": 0.15, "train_seconds": 1, "params": 1},
              {"model": "hymirec-s3-w4", "recall@10": 0.21, "train_seconds": 1, "params": 1}
            ]}
            """;
        using var dir = new TempDirectory();
        var (code, output, error) = Run("plot-sweep", "--results", dir.Write("r.json", AroundTwo), "--out", dir.File("x.png"));

        Assert.True(code == 0, error);
        Assert.Contains("panels: recall@10 vs s (w = 4); recall@10 vs w (s = 2)", output);
    }

    [Fact]
    public void A_row_that_records_its_settings_plots_at_them_not_at_what_its_name_means_today()
    {
        // Written when "hymirec" meant s = 2: the row's settings say so, and its name alone would read s = 3.
        const string Recorded = """
            {"dataset": "synthetic", "protocol": "leave-one-out", "users": 1, "items": 1, "interactions": 1, "quick": true, "results": [
              {"model": "hymirec", "settings": {"model": {"refined_queries": 2, "target_window": 4}}, "recall@10": 0.20, "train_seconds": 1, "params": 1},
              {"model": "hymirec-s1", "settings": {"model": {"refined_queries": 1, "target_window": 4}}, "recall@10": 0.15, "train_seconds": 1, "params": 1}
            ]}
            """;
        using var dir = new TempDirectory();
        var (code, output, error) = Run("plot-sweep", "--results", dir.Write("r.json", Recorded), "--out", dir.File("x.png"));

        Assert.True(code == 0, error);
        Assert.Contains("| hymirec | 2 | 4 | 0.2000 |", output);
        Assert.Contains("| hymirec-s1 | 1 | 4 | 0.1500 |", output);
    }

    [Fact]
    public void A_missing_results_file_is_a_usage_error_naming_it()
    {
        using var dir = new TempDirectory();
        var missing = dir.File("missing.json");
        var (code, _, error) = Run("plot-sweep", "--results", missing, "--out", dir.File("x.png"));

        Assert.Equal(Cli.UsageExitCode, code);
        Assert.StartsWith("error:", error, StringComparison.Ordinal);
        Assert.Contains("missing.json", error);
        Assert.False(File.Exists(dir.File("x.png")));
    }

    [Fact]
    public void A_metric_the_rows_lack_is_a_usage_error_listing_the_metrics_they_have()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = Run("plot-sweep", "--results", dir.Write("r.json", Results), "--metric", "ndcg@10", "--out", dir.File("x.png"));

        Assert.Equal(Cli.UsageExitCode, code);
        Assert.Contains("no metric 'ndcg@10'", error);
        Assert.Contains("recall@10", error);
    }

    [Fact]
    public void Results_without_hymirec_rows_are_a_usage_error()
    {
        using var dir = new TempDirectory();
        var only = Results.Replace("\"hymirec", "\"other", StringComparison.Ordinal);
        var (code, _, error) = Run("plot-sweep", "--results", dir.Write("r.json", only), "--out", dir.File("x.png"));

        Assert.Equal(Cli.UsageExitCode, code);
        Assert.Contains("no hymirec", error);
        Assert.False(File.Exists(dir.File("x.png")));
    }

    [Fact]
    public void A_size_too_small_for_two_panels_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = Run("plot-sweep", "--results", dir.Write("r.json", Results), "--out", dir.File("x.png"), "--width", "150");

        Assert.Equal(Cli.UsageExitCode, code);
        Assert.Contains("too small", error);
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Cli.Run(new RootCommand { PlotCommand.Create() }, args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
