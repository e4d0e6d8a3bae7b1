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
}
