using HyMiRec.Model.Serving;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Retraining;
using HyMiRec.Training.Training;
using HyMiRec.UnitTests.Training;

namespace HyMiRec.UnitTests.Retraining;

public sealed class RetrainTrainingSettingsTests
{
    private static readonly RetrainSettings Settings = new()
    {
        Source = new ReplaySource("127.0.0.1:9", new Dictionary<string, string>(), From: null, Until: null),
        StoreDirectory = "store",
        Epochs = 3,
        BatchSize = 32,
    };

    [Fact]
    public void A_retrain_keeps_the_weight_decay_the_current_version_trained_with()
    {
        var training = Settings.TrainingAfter(Manifest(new() { [TrainingRecipe.WeightDecayMetric] = 0.1 }));

        Assert.Equal(0.1, training.WeightDecay);
        Assert.Equal(0.1, ModelCatalog.HyMiRecTraining(training).WeightDecay);
        Assert.Equal((3, 32), (training.Epochs, training.BatchSize));
    }

    [Fact]
    public void The_flag_overrides_the_current_version_and_old_or_missing_versions_keep_the_default()
    {
        Assert.Equal(0.0, (Settings with { WeightDecay = 0 }).TrainingAfter(Manifest(new() { [TrainingRecipe.WeightDecayMetric] = 0.1 })).WeightDecay);
        Assert.Equal(0.05, (Settings with { WeightDecay = 0.05 }).TrainingAfter(null).WeightDecay);
        Assert.Null(Settings.TrainingAfter(Manifest(new() { ["epochs"] = 4 })).WeightDecay); // written before the decay was recorded
        Assert.Null(Settings.TrainingAfter(null).WeightDecay);
        Assert.Equal(0.0, ModelCatalog.HyMiRecTraining(Settings.TrainingAfter(null)).WeightDecay);
    }

    [Fact]
    public void A_retrain_keeps_the_coarse_loss_of_the_current_version_and_versions_from_before_it_was_recorded_train_without_it()
    {
        var options = new HyMiRec.Model.Interests.HyMiRecOptions();
        var kept = Settings.TrainingAfter(Manifest(new() { [TrainingRecipe.CoarseWeightMetric] = 0.5, [TrainingRecipe.CoarsePositionsMetric] = 16 }));
        Assert.Equal((0.5, 16), ModelCatalog.HyMiRecExtra(kept, options).CoarseLoss());

        var older = Settings.TrainingAfter(Manifest(new() { [TrainingRecipe.WeightDecayMetric] = 0.1 }));
        Assert.Equal((0.0, 0), ModelCatalog.HyMiRecExtra(older, options).CoarseLoss());
        ModelCatalog.HyMiRecExtra(older, options).Validate(options);

        Assert.Equal((1.0, 32), ModelCatalog.HyMiRecExtra(Settings.TrainingAfter(null), options).CoarseLoss()); // a first version: the defaults
    }

    [Fact]
    public void A_retrain_keeps_every_recorded_part_of_the_recipe_and_a_default_recipe_restores_to_the_defaults()
    {
        var given = new BenchmarkSettings
        {
            Data = "synthetic",
            Models = ["hymirec"],
            LearningRate = 0.002,
            Temperature = 0.1,
            AverageEpochs = 0,
            WeightDecay = 0.1,
            Negatives = 256,
            NegativeSampling = NegativeSampling.Sequence,
            MergedWeight = 0.5,
            PositionWeight = 0,
            CoarseWeight = 0.5,
            CoarsePositions = 16,
            CutsPerSequence = 8,
            SequenceLength = 64,
            HistoryCrops = true,
            StageOneEpochs = 5,
        };
        var retrained = Settings.TrainingAfter(Manifest(Recorded(given)));

        // Everything a run chooses for itself comes from the retrain's own flags; the recipe from the version.
        var expected = given with { Epochs = Settings.Epochs, BatchSize = Settings.BatchSize, Data = "kafka" };
        Assert.Equal(ModelCatalog.HyMiRecTraining(expected), ModelCatalog.HyMiRecTraining(retrained));
        var options = new HyMiRec.Model.Interests.HyMiRecOptions();
        Assert.Equal(ModelCatalog.HyMiRecExtra(expected, options), ModelCatalog.HyMiRecExtra(retrained, options));
        Assert.Equal(0, ModelCatalog.HyMiRecExtra(retrained, options).FullSoftmaxUpTo); // the negatives were asked for

        var defaults = new BenchmarkSettings { Data = "kafka", Models = ["hymirec"], Epochs = 3, BatchSize = 32 };
        var fromDefaults = Settings.TrainingAfter(Manifest(Recorded(defaults)));
        Assert.Equal(ModelCatalog.HyMiRecTraining(defaults), ModelCatalog.HyMiRecTraining(fromDefaults));
        Assert.Equal(ModelCatalog.HyMiRecExtra(defaults, options), ModelCatalog.HyMiRecExtra(fromDefaults, options));
        Assert.Null(fromDefaults.Negatives); // the full softmax of small catalogs stays on
        Assert.Null(fromDefaults.StageOneEpochs);
    }

    [Fact]
    public void A_recorded_negative_sampling_that_names_no_mode_is_refused_with_the_version()
    {
        var error = Assert.Throws<InvalidDataException>(() => Settings.TrainingAfter(Manifest(new() { [TrainingRecipe.NegativeSamplingMetric] = 7 })));

        Assert.Contains("v1", error.Message, StringComparison.Ordinal);
        Assert.Contains(TrainingRecipe.NegativeSamplingMetric, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TrainingRecipe.LearningRateMetric, -0.001)]
    [InlineData(TrainingRecipe.TemperatureMetric, 0.0)]
    [InlineData(TrainingRecipe.CutsMetric, 0.0)]
    [InlineData(TrainingRecipe.SequenceLengthMetric, 1.0)]
    [InlineData(TrainingRecipe.StageOneEpochsMetric, 0.0)]
    public void A_recorded_value_out_of_range_is_refused_before_the_replay_with_the_version_and_its_metric(string metric, double value)
    {
        var manifest = Manifest(new() { [metric] = value });
        var restored = Settings.TrainingAfter(manifest);

        var error = Assert.Throws<InvalidDataException>(() => TrainingRecipe.Check(restored, new HyMiRec.Model.Interests.HyMiRecOptions(), manifest));

        Assert.StartsWith($"model v1: {metric} ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recorded_values_that_conflict_are_refused_under_the_metric_whose_rule_they_break()
    {
        var manifest = Manifest(new() { [TrainingRecipe.CoarseWeightMetric] = 0, [TrainingRecipe.CoarsePositionsMetric] = 16 });

        var error = Assert.Throws<InvalidDataException>(() =>
            TrainingRecipe.Check(Settings.TrainingAfter(manifest), new HyMiRec.Model.Interests.HyMiRecOptions(), manifest));

        Assert.Contains(TrainingRecipe.CoarsePositionsMetric, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recorded_count_that_is_not_a_whole_number_is_refused_and_a_recorded_default_recipe_passes()
    {
        var error = Assert.Throws<InvalidDataException>(() => Settings.TrainingAfter(Manifest(new() { [TrainingRecipe.CutsMetric] = 2.5 })));
        Assert.Contains(TrainingRecipe.CutsMetric, error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => Settings.TrainingAfter(Manifest(new() { [TrainingRecipe.NegativesMetric] = 1e12 })));

        var options = new HyMiRec.Model.Interests.HyMiRecOptions();
        var defaults = Manifest(Recorded(new BenchmarkSettings { Data = "kafka", Models = ["hymirec"] }));
        TrainingRecipe.Check(Settings.TrainingAfter(defaults), options, defaults);
        TrainingRecipe.Check(Settings.TrainingAfter(null), options, null);
    }

    private static Dictionary<string, double> Recorded(BenchmarkSettings settings)
    {
        using var recommender = (HyMiRecRecommender)ModelCatalog.Create("hymirec", settings, null, itemText: false);
        var metrics = new Dictionary<string, double> { ["epochs"] = 4 };
        TrainingRecipe.Record(metrics, recommender);
        return metrics;
    }

    private static ModelManifest Manifest(Dictionary<string, double> metrics) =>
        new(1, "v1", "c1", DateTimeOffset.UnixEpoch, "kafka:clicks", new Dictionary<string, string>(), metrics, []);
}
