using System.CommandLine;
using System.Text.Json.Nodes;
using HyMiRec.Model.Serving;
using HyMiRec.Training;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Commands;
using HyMiRec.Training.Training;

namespace HyMiRec.UnitTests.Training;

/// <summary>The --select grid on the command line and the selection record in the manifest.</summary>
public sealed class SelectionGridTests
{
    [Fact]
    public void The_default_grid_starts_with_the_simplest_model_and_holds_the_default()
    {
        Assert.Equal("hymirec-s1-w1", SelectionGrid.Default[0]);
        Assert.Contains("hymirec-s2-w4", SelectionGrid.Default);
        Assert.All(SelectionGrid.Default, name => Assert.True(HyMiRecVariants.IsVariant(name)));
    }

    [Fact]
    public void A_grid_is_parsed_in_order_and_unknown_or_repeated_models_are_refused()
    {
        Assert.Equal(["hymirec-s1-w1", "hymirec-s3-w8"], SelectionGrid.Parse(" hymirec-s1-w1 , hymirec-s3-w8"));
        Assert.Contains("'sasrec' is not a HyMiRec model", Assert.Throws<UsageException>(() => SelectionGrid.Parse("hymirec,sasrec")).Message);
        Assert.Contains("twice", Assert.Throws<UsageException>(() => SelectionGrid.Parse("hymirec,hymirec")).Message);
        Assert.Throws<UsageException>(() => SelectionGrid.Parse(","));
    }

    [Fact]
    public void The_record_names_each_candidates_s_and_w_and_the_metric()
    {
        var record = SelectionGrid.Record("hymirec-s3-w4", [new CandidateScore("hymirec-s1-w1", 0.1, 4), new CandidateScore("hymirec-s3-w4", 0.123456789, 5)],
            SelectionGrid.Expand(["hymirec-s1-w1", "hymirec-s3-w4"], null));

        Assert.Equal("val_ndcg@10", record.Metric);
        Assert.Equal("hymirec-s3-w4", record.Chosen);
        Assert.Equal([new SelectionCandidate("hymirec-s1-w1", 1, 1, 0.1, 4), new SelectionCandidate("hymirec-s3-w4", 3, 4, 0.123457, 5)], record.Candidates);
    }

    [Fact]
    public void Decays_are_parsed_smallest_first_and_bad_lists_are_refused()
    {
        Assert.Equal([0, 0.01, 0.1], SelectionGrid.ParseDecays("0.1, 0,0.01"));
        Assert.Contains("'x' is not a number", Assert.Throws<UsageException>(() => SelectionGrid.ParseDecays("0,x")).Message);
        Assert.Contains("twice", Assert.Throws<UsageException>(() => SelectionGrid.ParseDecays("0.1,0.10")).Message);
        Assert.Throws<UsageException>(() => SelectionGrid.ParseDecays(" , "));
    }

    [Fact]
    public void Every_model_is_tried_with_every_decay_simplest_first_and_the_record_says_which()
    {
        var grid = SelectionGrid.Expand(["hymirec-s1-w1", "hymirec-s3-w4"], [0, 0.1]);

        Assert.Equal(["hymirec-s1-w1+wd0", "hymirec-s1-w1+wd0.1", "hymirec-s3-w4+wd0", "hymirec-s3-w4+wd0.1"], grid.Select(c => c.Name));
        Assert.Equal(["hymirec-s1-w1", "hymirec-s3-w4"], SelectionGrid.Expand(["hymirec-s1-w1", "hymirec-s3-w4"], null).Select(c => c.Name));
        var record = SelectionGrid.Record("hymirec-s3-w4+wd0.1", [.. grid.Select((c, i) => new CandidateScore(c.Name, 0.1 * i, 3))], grid);
        Assert.Equal(new SelectionCandidate("hymirec-s3-w4+wd0.1", 3, 4, 0.3, 3, 0.1), record.Candidates[3]);
        Assert.Equal(new SelectionCandidate("hymirec-s1-w1+wd0", 1, 1, 0, 3, 0), record.Candidates[0]);
        Assert.Throws<ArgumentException>(() => SelectionGrid.Record("hymirec-s1-w1", [new CandidateScore("hymirec-s1-w1", 0.1, 3)], grid));
    }

    [Theory]
    [InlineData("--select-weight-decay 0,-1", "--select-weight-decay 0,-1: must be finite and not negative: a decay rate")]
    [InlineData("--select-weight-decay 0,0.1 --weight-decay 0.1", "--weight-decay and --select-weight-decay exclude each other")]
    [InlineData("--select-weight-decay 0,0.1 --model hymirec-s3-w4", "--model and --select exclude each other")]
    public void Decay_selection_mistakes_are_usage_errors_before_any_training(string options, string message)
    {
        var (code, error) = Train(options.Split(' '));

        Assert.Equal(Cli.UsageExitCode, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_selection_survives_the_manifest_round_trip_and_old_manifests_read_without_one()
    {
        using var root = new TempDirectory();
        var store = new ModelStore(root.Path);
        var staging = store.CreateStaging();
        TestModel.CreateAnother(staging, seed: 11);
        var path = Path.Combine(staging, InterestModelStore.ManifestFile);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.True(json.Remove("selection")); // as a manifest written before selection existed
        File.WriteAllText(path, json.ToJsonString());
        Assert.Null(InterestModelStore.Verify(staging).Selection);

        // With decays, so that each candidate's decay goes through the round trip too.
        var selection = SelectionGrid.Record("hymirec-s1-w1+wd0.1", [new CandidateScore("hymirec-s1-w1+wd0.1", 0.2, 2), new CandidateScore("hymirec-s2-w4+wd0.1", 0.1, 2)],
            SelectionGrid.Expand(["hymirec-s1-w1", "hymirec-s2-w4"], [0.1]));
        InterestModelStore.Annotate(staging, m => m with { Selection = selection });
        var read = store.AddVersion(staging).Selection!;

        Assert.Equal((selection.Metric, selection.Chosen), (read.Metric, read.Chosen));
        Assert.Equal(selection.Candidates, read.Candidates);
    }

    [Fact]
    public void Model_and_select_together_are_a_usage_error_before_any_training()
    {
        var (code, error) = Train("--model", "hymirec-s3-w4", "--select");

        Assert.Equal(Cli.UsageExitCode, code);
        Assert.Contains("exclude each other", error);
    }

    [Fact]
    public void A_grid_naming_another_kind_of_model_is_a_usage_error_before_any_training()
    {
        var (code, error) = Train("--select-grid", "hymirec,popularity");

        Assert.Equal(Cli.UsageExitCode, code);
        Assert.Contains("'popularity' is not a HyMiRec model", error);
    }

    private static (int Code, string Error) Train(params string[] options)
    {
        using var dir = new TempDirectory();
        var error = new StringWriter();
        var code = Cli.Run(new RootCommand { TrainCommand.Create() }, ["train", "--data", "synthetic", "--out", dir.File("m"), .. options], new StringWriter(), error);
        Assert.False(Directory.Exists(dir.File("m")));
        return (code, error.ToString());
    }
}
