using HyMiRec.Model;
using HyMiRec.Training.Training;

namespace HyMiRec.UnitTests.Training;

/// <summary>The lightweight recommender's own next-item loss: on by default, a real change to training.</summary>
public sealed class CoarseNextItemLossTests
{
    private static readonly TrainingOptions Training = new() { Epochs = 2, BatchSize = 16, Negatives = 16, EvaluateEvery = 2, Patience = 5, Seed = 17 };

    private static readonly HyMiRecTrainingOptions Extra = new() { SequenceLength = 20, CutsPerSequence = 4, StageOneEpochs = 1 };

    [Fact]
    public void The_weight_is_on_by_default_and_changes_the_trained_weights_reproducibly()
    {
        Assert.Equal((1.0, 32), (new HyMiRecTrainingOptions().CoarseNextItemWeight, new HyMiRecTrainingOptions().CoarseNextItemPositions));
        var off = Scores(Extra with { CoarseNextItemWeight = 0, CoarseNextItemPositions = 0 });
        var on = Scores(Extra with { CoarseNextItemPositions = 0 });

        Assert.All(on, score => Assert.True(float.IsFinite(score)));
        Assert.NotEqual(off, on);
        Assert.Equal(on, Scores(Extra with { CoarseNextItemPositions = 0 }));
    }

    [Fact]
    public void Sampled_positions_change_the_trained_weights_reproducibly()
    {
        var every = Scores(Extra with { CoarseNextItemWeight = 1, CoarseNextItemPositions = 0 });
        var sampled = Scores(Extra with { CoarseNextItemWeight = 1, CoarseNextItemPositions = 3 });

        Assert.All(sampled, score => Assert.True(float.IsFinite(score)));
        Assert.NotEqual(every, sampled);
        Assert.Equal(sampled, Scores(Extra with { CoarseNextItemWeight = 1, CoarseNextItemPositions = 3 }));
    }

    [Theory]
    [InlineData(0, 3, "set CoarseNextItemWeight above 0")]
    [InlineData(1, -1, "cannot be negative")]
    public void Positions_without_the_loss_or_below_zero_are_refused(double weight, int positions, string rule)
    {
        var error = Assert.Throws<OptionValueException>(() => (Extra with { CoarseNextItemWeight = weight, CoarseNextItemPositions = positions }).Validate());
        Assert.Contains(nameof(HyMiRecTrainingOptions.CoarseNextItemPositions), error.Message, StringComparison.Ordinal);
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_without_the_lightweight_recommender_refuses_the_weight()
    {
        using var model = new HyMiRecRecommender("hymirec-no-coarse", TinyTraining.HyMiRec with { UseCoarse = false, CoarseStateToken = false }, Training,
            Extra with { CoarseNextItemWeight = 1 });
        var error = Assert.Throws<OptionValueException>(() => model.Fit(TinyTraining.Split, new SilentTrainingReporter()));
        Assert.Equal(nameof(HyMiRecTrainingOptions.CoarseNextItemWeight), error.ParamName);
        Assert.Contains("trains the lightweight recommender", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void A_negative_or_undefined_weight_is_refused(double weight)
    {
        var error = Assert.Throws<OptionValueException>(() => (Extra with { CoarseNextItemWeight = weight }).Validate());
        Assert.Contains(nameof(HyMiRecTrainingOptions.CoarseNextItemWeight), error.Message, StringComparison.Ordinal);
    }

    private static float[] Scores(HyMiRecTrainingOptions extra) => TinyTraining.HyMiRecTestScores(Training, extra);
}
