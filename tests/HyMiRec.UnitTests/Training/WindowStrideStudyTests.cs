using System.CommandLine;
using System.Text.Json;
using HyMiRec.Model.Serving;
using HyMiRec.Training;
using HyMiRec.Training.Commands;
using HyMiRec.Training.Evaluation;
using HyMiRec.Training.Retraining;

namespace HyMiRec.UnitTests.Training;

public sealed class WindowStrideStudyTests
{
    [Fact]
    public void The_window_is_the_newest_events_from_the_strided_start()
    {
        var items = Enumerable.Range(100, 30).ToArray();
        Assert.Equal(items[24..], WindowStrideStudy.Window(items, 8, 4));
        Assert.Equal(items[22..], WindowStrideStudy.Window(items, 8, 1));
        Assert.Equal(items[..5], WindowStrideStudy.Window(items[..5], 8, 4));
    }

    [Fact]
    public void Strided_rows_score_the_windows_a_silo_reads_against_the_exact_window_of_the_same_size()
    {
        using var model = InterestModelStore.Load(TestModel.Directory);
        var cases = WindowStrideCommand.TestCases(TestModel.Dataset);
        var lengths = cases.Select(c => c.Input.Length).ToArray();
        Assert.All(lengths, l => Assert.True(l > 8));

        var report = WindowStrideStudy.Run(model, cases, [8, model.MaxHistory], [1, 4], resamples: 200, seed: 5);

        Assert.Equal(cases.Length, report.Users);
        Assert.Equal([(8, 1), (8, 4), (model.MaxHistory, 1), (model.MaxHistory, 4)], report.Rows.Select(r => (r.MaxHistory, r.Stride)));
        var strided = report.Rows[1];
        var shortened = lengths.Where(l => (l - 8) % 4 != 0).ToArray();
        Assert.Equal(cases.Length, strided.Longer);
        Assert.Equal(shortened.Length, strided.Shortened);
        Assert.Equal(shortened.Average(l => 4 - ((l - 8) % 4)), strided.MeanDropped, 9);

        // The same users scored by hand-cut windows: the start is the first multiple of 4 that leaves at most 8 events.
        var byHand = HoldoutEvaluator.Evaluate(model, cases, items => items[((items.Length - 8 + 3) / 4 * 4)..]).Means();
        foreach (var (metric, mean) in byHand)
        {
            Assert.Equal(mean, strided.Means[metric], 12);
            Assert.Equal(mean - report.Rows[0].Means[metric], strided.Differences[metric].Mean, 12);
        }

        // A window longer than every history reads the same events at any stride: nothing to compare.
        var whole = report.Rows[3];
        Assert.Equal((0, 0), (whole.Longer, whole.Shortened));
        Assert.All(whole.Differences.Values, d => Assert.Equal(new PairedDifference(0, 0, 0), d));
        Assert.Equal(report.Rows[2].Means, whole.Means);
        Assert.Contains("| 8 | 4 |", WindowStrideCommand.Render(report, "t"), StringComparison.Ordinal);
        Assert.Contains("\"Lower\"", JsonSerializer.Serialize(report), StringComparison.Ordinal); // the intervals reach the --out file
    }

    [Theory]
    [InlineData("--strides", "0", "--strides: 0 is not between 1")]
    [InlineData("--strides", "4,4", "--strides: 4,4 repeats a stride")]
    [InlineData("--strides", "x", "--strides: 'x' is not an integer")]
    [InlineData("--max-history", "100000", "--max-history: 100000 is not between 1 and the model's MaxHistory")]
    [InlineData("--resamples", "0", "--resamples must be positive")]
    public void Bad_options_are_one_error_line(string option, string value, string message)
    {
        var error = new StringWriter();
        var code = Cli.Run(new RootCommand { WindowStrideCommand.Create() },
            ["window-stride", "--model", TestModel.Directory, "--data", "synthetic", option, value], new StringWriter(), error);

        Assert.Equal(Cli.UsageExitCode, code);
        Assert.StartsWith("error: " + message, error.ToString(), StringComparison.Ordinal);
    }
}
