using System.CommandLine;
using HyMiRec.Model.Interests;
using HyMiRec.Training;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Commands;
using HyMiRec.Training.Training;

namespace HyMiRec.UnitTests.Training;

public sealed class HyMiRecTrainingDefaultsTests
{
    [Fact]
    public void Small_catalogs_get_the_full_softmax_and_the_merged_loss_unless_told_otherwise()
    {
        var defaults = Extra(new BenchmarkSettings { Data = "synthetic" });
        Assert.Equal(8192, defaults.FullSoftmaxUpTo);
        Assert.Equal(1.0, defaults.MergedNextItemWeight);
        Assert.Equal(12, defaults.CutsPerSequence);

        // An explicit --negatives means sampled negatives, whatever the catalog size.
        Assert.Equal(0, Extra(new BenchmarkSettings { Data = "synthetic", Negatives = 128 }).FullSoftmaxUpTo);
        Assert.Equal(0.0, Extra(new BenchmarkSettings { Data = "synthetic", MergedWeight = 0 }).MergedNextItemWeight);
        Assert.Equal(24, Extra(new BenchmarkSettings { Data = "synthetic", CutsPerSequence = 24 }).CutsPerSequence);
        Assert.Equal(1.0, defaults.PositionNextItemWeight);
        Assert.Equal(0.0, Extra(new BenchmarkSettings { Data = "synthetic", PositionWeight = 0 }).PositionNextItemWeight);
        Assert.Equal(0.5, Extra(new BenchmarkSettings { Data = "synthetic", PositionWeight = 0.5 }).PositionNextItemWeight);
        Assert.Equal((1.0, 32), defaults.CoarseLoss());
        Assert.Equal(0.5, Extra(new BenchmarkSettings { Data = "synthetic", CoarseWeight = 0.5 }).CoarseNextItemWeight);
        Assert.Equal(0, Extra(new BenchmarkSettings { Data = "synthetic", CoarsePositions = 0 }).CoarseNextItemPositions); // every position
        Assert.Equal((0.0, 0), Extra(new BenchmarkSettings { Data = "synthetic", CoarseWeight = 0 }).CoarseLoss()); // off: nothing to sample
        Assert.Equal(2.0, ModelCatalog.HyMiRecTraining(new BenchmarkSettings { Data = "synthetic" }).AverageEpochs); // on for both models
        Assert.Equal(2.0, ModelCatalog.SasRecTraining(new BenchmarkSettings { Data = "synthetic" }).AverageEpochs);
        Assert.Equal(0.0, ModelCatalog.SasRecTraining(new BenchmarkSettings { Data = "synthetic", AverageEpochs = 0 }).AverageEpochs); // the live weights
        Assert.Null(defaults.StageOneEpochs); // a share of the epochs and of the budget unless fixed
        Assert.Equal(17, Extra(new BenchmarkSettings { Data = "synthetic", StageOneEpochs = 17 }).StageOneEpochs);
        Assert.Equal(0.05, ModelCatalog.HyMiRecTraining(new BenchmarkSettings { Data = "synthetic" }).Temperature);
        Assert.Equal(0.1, ModelCatalog.HyMiRecTraining(new BenchmarkSettings { Data = "synthetic", Temperature = 0.1 }).Temperature);
        Assert.Equal(0.1, ModelCatalog.SasRecTraining(new BenchmarkSettings { Data = "synthetic", Temperature = 0.1 }).Temperature);
        Assert.Equal(InterestScoring.Interests, defaults.Scoring); // the paper's rule unless asked
        Assert.Equal(128, defaults.SequenceLength);
        Assert.Equal(200, Extra(new BenchmarkSettings { Data = "synthetic", SequenceLength = 200 }).SequenceLength);
        Assert.Equal(InterestScoring.LastItem, Extra(new BenchmarkSettings { Data = "synthetic", Scoring = InterestScoring.LastItem }).Scoring);
        Assert.Equal(200, ModelCatalog.SasRec(new BenchmarkSettings { Data = "synthetic" }).MaxLength);
        Assert.Equal(40, ModelCatalog.SasRec(new BenchmarkSettings { Data = "synthetic", SasRecLength = 40 }).MaxLength);
        Assert.Equal(200, ModelCatalog.SasRec(new BenchmarkSettings { Data = "synthetic" }).ScoreLength);
        Assert.Equal(40, ModelCatalog.SasRec(new BenchmarkSettings { Data = "synthetic", MaxHistory = 40 }).ScoreLength);
        Assert.Equal(200, ModelCatalog.SasRec(new BenchmarkSettings { Data = "synthetic", MaxHistory = 1024 }).ScoreLength); // no positions beyond its length
    }

    [Theory]
    [InlineData("--cuts", "0", "--cuts 0: must be at least 1: each sequence needs a cut point")]
    [InlineData("--sequence-length", "1", "--sequence-length 1: must be at least 2 (a history and a target)")]
    [InlineData("--sasrec-length", "0", "--sasrec-length 0: must be at least 1: the newest events a sequence keeps")]
    [InlineData("--max-history", "0", "--max-history 0: must be at least 1: the newest events of a history the model reads")]
    [InlineData("--position-weight", "-1", "--position-weight -1: must be finite and not negative: a loss weight")]
    [InlineData("--coarse-weight", "-1", "--coarse-weight -1: must be finite and not negative: a loss weight")]
    [InlineData("--coarse-positions", "-1", "--coarse-positions -1: cannot be negative")]
    [InlineData("--merged-weight", "-0.5", "--merged-weight -0.5: must be finite and not negative: a loss weight")]
    [InlineData("--average-epochs", "-2", "--average-epochs -2: must be finite and not negative: a time constant")]
    [InlineData("--temperature", "0", "--temperature 0: must be finite and positive: logits are divided by it")]
    [InlineData("--weight-decay", "-0.1", "--weight-decay -0.1: must be finite and not negative: a decay rate")]
    [InlineData("--dropout", "1", "--dropout 1: must be in [0, 1): a dropout probability")]
    [InlineData("--dropout", "-0.2", "--dropout -0.2: must be in [0, 1): a dropout probability")]
    [InlineData("--stage-one-epochs", "0", "--stage-one-epochs 0: must be at least 1: Stage 1 trains the embeddings")]
    [InlineData("--item-init-std", "-0.01", "--item-init-std -0.01: cannot be negative: a standard deviation (0: 1/sqrt(Dimension)")]
    [InlineData("--learning-rate", "-0.001", "--learning-rate -0.001: must be finite and not negative")]
    [InlineData("--epochs", "0", "--epochs 0: must be at least 1")]
    [InlineData("--batch-size", "0", "--batch-size 0: must be at least 1")]
    [InlineData("--negatives", "0", "--negatives 0: must be at least 1")]
    [InlineData("--eval-every", "0", "--eval-every 0: must be at least 1")]
    [InlineData("--budget-minutes", "-5", "--budget-minutes -5: cannot be negative")]
    public void Out_of_range_settings_are_usage_errors_that_name_the_flag(string option, string value, string message)
    {
        var error = new StringWriter();

        var code = Cli.Run(new RootCommand { BenchmarkCommand.Create() }, ["benchmark", "--data", "synthetic", option, value], new StringWriter(), error);

        Assert.Equal(Cli.UsageExitCode, code);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("train", "--epochs", "0", "--epochs 0: must be at least 1")]
    [InlineData("train", "--batch-size", "-4", "--batch-size -4: must be at least 1")]
    [InlineData("retrain", "--epochs", "0", "--epochs 0: must be at least 1")]
    [InlineData("retrain", "--batch-size", "0", "--batch-size 0: must be at least 1")]
    [InlineData("train", "--weight-decay", "-0.1", "--weight-decay -0.1: must be finite and not negative: a decay rate")]
    [InlineData("retrain", "--weight-decay", "-1", "--weight-decay -1: must be finite and not negative: a decay rate")]
    [InlineData("train", "--coarse-weight", "-1", "--coarse-weight -1: must be finite and not negative: a loss weight")]
    [InlineData("train", "--coarse-positions", "-2", "--coarse-positions -2: cannot be negative")]
    [InlineData("train", "--position-weight", "-1", "--position-weight -1: must be finite and not negative: a loss weight")]
    [InlineData("train", "--stage-one-epochs", "0", "--stage-one-epochs 0: must be at least 1: Stage 1 trains the embeddings")]
    [InlineData("train", "--learning-rate", "-0.001", "--learning-rate -0.001: must be finite and not negative")]
    [InlineData("train", "--max-history", "0", "--max-history 0: must be at least 1: the newest events of a history the model reads")]
    public void Train_and_retrain_refuse_out_of_range_flags_before_reading_anything(string command, string option, string value, string message)
    {
        using var dir = new TempDirectory();
        var error = new StringWriter();
        string[] args = command == "train"
            ? ["train", "--data", "synthetic", "--out", dir.File("model"), option, value]
            // No broker listens on port 9: the flag must be refused before the replay tries to reach it.
            : ["retrain", "--bootstrap", "127.0.0.1:9", "--store", dir.File("store"), option, value];

        var code = Cli.Run(new RootCommand { TrainCommand.Create(), RetrainCommand.Create() }, args, new StringWriter(), error);

        Assert.Equal(Cli.UsageExitCode, code);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.StartsWith($"error: {message}", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Theory]
    [InlineData("benchmark")]
    [InlineData("train")]
    public void A_coarse_loss_for_a_model_without_the_lightweight_recommender_is_a_usage_error(string command)
    {
        using var dir = new TempDirectory();
        var error = new StringWriter();
        string[] args = command == "train"
            ? ["train", "--data", "synthetic", "--out", dir.File("model"), "--model", "hymirec-no-coarse", "--coarse-weight", "1"]
            : ["benchmark", "--data", "synthetic", "--models", "hymirec,hymirec-no-coarse", "--coarse-weight", "1", "--out", dir.File("results.json")];

        var code = Cli.Run(new RootCommand { TrainCommand.Create(), BenchmarkCommand.Create() }, args, new StringWriter(), error);

        Assert.Equal(Cli.UsageExitCode, code);
        Assert.StartsWith("error: --coarse-weight 1: trains the lightweight recommender", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Large_catalogs_get_2048_batch_negatives_with_cached_text_and_the_init_is_a_flag()
    {
        var settings = new BenchmarkSettings { Data = "synthetic" };
        Assert.Equal(2048, ModelCatalog.HyMiRecTraining(settings).Negatives);
        Assert.Equal(128, ModelCatalog.SasRecTraining(settings).Negatives);
        Assert.Equal(500, Extra(settings).NegativeTextRefreshSteps);
        Assert.Equal(64, ModelCatalog.HyMiRecTraining(new BenchmarkSettings { Data = "synthetic", Negatives = 64 }).Negatives);

        using var byDefault = (HyMiRec.Training.Training.HyMiRecRecommender)ModelCatalog.Create("hymirec", settings, null, itemText: true);
        Assert.Null(byDefault.Options.IdInitStd);
        using var small = (HyMiRec.Training.Training.HyMiRecRecommender)ModelCatalog.Create("hymirec", settings with { ItemInitStd = 0.02 }, null, itemText: true);
        Assert.Equal(0.02, small.Options.IdInitStd);
    }

    [Fact]
    public void Weight_decay_and_dropout_reach_both_models_only_when_given()
    {
        var settings = new BenchmarkSettings { Data = "synthetic" };
        Assert.Equal(0.0, ModelCatalog.SasRecTraining(settings).WeightDecay);
        Assert.Equal(0.0, ModelCatalog.HyMiRecTraining(settings).WeightDecay);
        Assert.Equal(0.1, ModelCatalog.SasRecTraining(settings with { WeightDecay = 0.1 }).WeightDecay);
        Assert.Equal(0.1, ModelCatalog.HyMiRecTraining(settings with { WeightDecay = 0.1 }).WeightDecay);

        Assert.Equal(0.2, ModelCatalog.SasRec(settings).Dropout);
        Assert.Equal(0.35, ModelCatalog.SasRec(settings with { Dropout = 0.35, ItemInitStd = 0.01 }).Dropout);
        Assert.Equal(0.01, ModelCatalog.SasRec(settings with { Dropout = 0.35, ItemInitStd = 0.01 }).ItemInitStd);
        using var byDefault = (HyMiRec.Training.Training.HyMiRecRecommender)ModelCatalog.Create("hymirec", settings, null, itemText: true);
        Assert.Equal(0.2, byDefault.Options.Dropout);
        using var dropped = (HyMiRec.Training.Training.HyMiRecRecommender)ModelCatalog.Create("hymirec-s1-w1", settings with { Dropout = 0.35 }, null, itemText: false);
        Assert.Equal(0.35, dropped.Options.Dropout);
        Assert.Equal(1, dropped.Options.RefinedQueries);
        Assert.False(dropped.Options.UseText);
    }

    [Fact]
    public void Validation_follows_the_test_protocol_on_the_users_history()
    {
        var excluded = new BenchmarkSettings { Data = "planted" };
        var kept = excluded with { KeepHistory = true };

        Assert.True(ModelCatalog.SasRecTraining(excluded).ValidationExcludesHistory);
        Assert.True(ModelCatalog.HyMiRecTraining(excluded).ValidationExcludesHistory);
        Assert.False(ModelCatalog.SasRecTraining(kept).ValidationExcludesHistory);
        Assert.False(ModelCatalog.HyMiRecTraining(kept).ValidationExcludesHistory);
    }

    [Theory]
    [InlineData(null, 1682, 0.125)] // ML-100K: 1/sqrt(64)
    [InlineData(null, 2048, 0.125)]
    [InlineData(null, 2049, 0.02)]
    [InlineData(null, 3883, 0.02)] // ML-1M
    [InlineData(0.0, 50_000, 0.125)]
    [InlineData(0.05, 160, 0.05)]
    public void The_id_init_follows_the_catalog_size_unless_set(double? setting, int items, double expected)
    {
        var options = new HyMiRec.Model.Interests.HyMiRecOptions { IdInitStd = setting };
        Assert.Equal(expected, options.IdInitStdFor(items), precision: 12);
    }

    [Fact]
    public void The_item_tower_draws_its_ids_at_the_catalog_init()
    {
        TorchSharp.torch.manual_seed(1);
        var options = new HyMiRec.Model.Interests.HyMiRecOptions { UseText = false };
        using var large = new HyMiRec.Model.Interests.ItemTower(options, itemCount: 3000, vocabularySize: 0);
        using var small = new HyMiRec.Model.Interests.ItemTower(options, itemCount: 1000, vocabularySize: 0);
        Assert.InRange(Std(large), 0.019, 0.021);
        Assert.InRange(Std(small), 0.12, 0.13);
    }

    private static double Std(TorchSharp.torch.nn.Module tower) =>
        tower.parameters().Single().narrow(0, 1, tower.parameters().Single().shape[0] - 1).std().item<float>();

    [Fact]
    public void Models_without_the_lightweight_recommender_train_without_its_loss_unless_asked()
    {
        var paper = new HyMiRecOptions { UseCoarse = false, CoarseStateToken = false };
        Assert.Equal((0.0, 0), ModelCatalog.HyMiRecExtra(new BenchmarkSettings { Data = "synthetic" }, paper).CoarseLoss());
        Assert.Equal(1.0, ModelCatalog.HyMiRecExtra(new BenchmarkSettings { Data = "synthetic", CoarseWeight = 1 }, paper).CoarseNextItemWeight);

        using var named = (HyMiRecRecommender)ModelCatalog.Create("hymirec-no-coarse", new BenchmarkSettings { Data = "synthetic" }, null, itemText: true);
        Assert.Equal((0.0, 0), named.Extra.CoarseLoss());
        using var byDefault = (HyMiRecRecommender)ModelCatalog.Create("hymirec", new BenchmarkSettings { Data = "synthetic" }, null, itemText: true);
        Assert.Equal((1.0, 32), byDefault.Extra.CoarseLoss());
    }

    private static HyMiRecTrainingOptions Extra(BenchmarkSettings settings) => ModelCatalog.HyMiRecExtra(settings, new HyMiRecOptions());
}
