using HyMiRec.Model.Serving;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Retraining;

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
        var training = Settings.TrainingAfter(Manifest(new() { [ModelCatalog.WeightDecayMetric] = 0.1 }));

        Assert.Equal(0.1, training.WeightDecay);
        Assert.Equal(0.1, ModelCatalog.HyMiRecTraining(training).WeightDecay);
        Assert.Equal((3, 32), (training.Epochs, training.BatchSize));
    }

    [Fact]
    public void The_flag_overrides_the_current_version_and_old_or_missing_versions_keep_the_default()
    {
        Assert.Equal(0.0, (Settings with { WeightDecay = 0 }).TrainingAfter(Manifest(new() { [ModelCatalog.WeightDecayMetric] = 0.1 })).WeightDecay);
        Assert.Equal(0.05, (Settings with { WeightDecay = 0.05 }).TrainingAfter(null).WeightDecay);
        Assert.Null(Settings.TrainingAfter(Manifest(new() { ["epochs"] = 4 })).WeightDecay); // written before the decay was recorded
        Assert.Null(Settings.TrainingAfter(null).WeightDecay);
        Assert.Equal(0.0, ModelCatalog.HyMiRecTraining(Settings.TrainingAfter(null)).WeightDecay);
    }

    [Fact]
    public void A_retrain_keeps_the_coarse_loss_of_the_current_version_and_versions_from_before_it_was_recorded_train_without_it()
    {
        var options = new HyMiRec.Model.Interests.HyMiRecOptions();
        var kept = Settings.TrainingAfter(Manifest(new() { [ModelCatalog.CoarseWeightMetric] = 0.5, [ModelCatalog.CoarsePositionsMetric] = 16 }));
        Assert.Equal((0.5, 16), Coarse(ModelCatalog.HyMiRecExtra(kept, options)));

        var older = Settings.TrainingAfter(Manifest(new() { [ModelCatalog.WeightDecayMetric] = 0.1 }));
        Assert.Equal((0.0, 0), Coarse(ModelCatalog.HyMiRecExtra(older, options)));
        ModelCatalog.HyMiRecExtra(older, options).Validate(options);

        Assert.Equal((1.0, 32), Coarse(ModelCatalog.HyMiRecExtra(Settings.TrainingAfter(null), options))); // a first version: the defaults
    }

    private static (double, int) Coarse(HyMiRec.Training.Training.HyMiRecTrainingOptions o) => (o.CoarseNextItemWeight, o.CoarseNextItemPositions);

    private static ModelManifest Manifest(Dictionary<string, double> metrics) =>
        new(1, "v1", "c1", DateTimeOffset.UnixEpoch, "kafka:clicks", new Dictionary<string, string>(), metrics, []);
}
