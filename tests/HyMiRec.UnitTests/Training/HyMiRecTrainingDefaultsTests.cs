using HyMiRec.Training.Benchmark;

namespace HyMiRec.UnitTests.Training;

public sealed class HyMiRecTrainingDefaultsTests
{
    [Fact]
    public void Small_catalogs_get_the_full_softmax_and_the_merged_loss_unless_told_otherwise()
    {
        var defaults = ModelCatalog.HyMiRecExtra(new BenchmarkSettings { Data = "synthetic" });
        Assert.Equal(8192, defaults.FullSoftmaxUpTo);
        Assert.Equal(1.0, defaults.MergedNextItemWeight);

        // An explicit --negatives means sampled negatives, whatever the catalog size.
        Assert.Equal(0, ModelCatalog.HyMiRecExtra(new BenchmarkSettings { Data = "synthetic", Negatives = 128 }).FullSoftmaxUpTo);
        Assert.Equal(0.0, ModelCatalog.HyMiRecExtra(new BenchmarkSettings { Data = "synthetic", MergedWeight = 0 }).MergedNextItemWeight);
    }

    [Fact]
    public void Large_catalogs_get_2048_batch_negatives_with_cached_text_and_the_init_is_a_flag()
    {
        var settings = new BenchmarkSettings { Data = "synthetic" };
        Assert.Equal(2048, ModelCatalog.HyMiRecTraining(settings).Negatives);
        Assert.Equal(128, ModelCatalog.SasRecTraining(settings).Negatives);
        Assert.Equal(500, ModelCatalog.HyMiRecExtra(settings).NegativeTextRefreshSteps);
        Assert.Equal(64, ModelCatalog.HyMiRecTraining(new BenchmarkSettings { Data = "synthetic", Negatives = 64 }).Negatives);

        using var byDefault = (HyMiRec.Training.Training.HyMiRecRecommender)ModelCatalog.Create("hymirec", settings, null, itemText: true);
        Assert.Null(byDefault.Options.IdInitStd);
        using var small = (HyMiRec.Training.Training.HyMiRecRecommender)ModelCatalog.Create("hymirec", settings with { ItemInitStd = 0.02 }, null, itemText: true);
        Assert.Equal(0.02, small.Options.IdInitStd);
    }
}
