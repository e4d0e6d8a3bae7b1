using HyMiRec.Model.Modules;
using HyMiRec.Training.Training;

namespace HyMiRec.UnitTests.Training;

/// <summary>SASRec's MaxHistory cuts what a scored history reads, not what training reads.</summary>
public sealed class SasRecScoreLengthTests
{
    // One validation, at the last epoch, so both models keep the same weights.
    private static readonly TrainingOptions Training = new() { Epochs = 3, BatchSize = 16, Negatives = 16, EvaluateEvery = 3, Patience = 5, Seed = 17 };

    [Fact]
    public void A_shorter_scoring_history_scores_as_the_newest_events_alone_do()
    {
        var inputs = TinyTraining.Split.Test.Select(c => c.Input).ToArray();
        using var full = Fitted(new SasRecOptions { Dimension = 16, Blocks = 1, MaxLength = 20 });
        using var cut = Fitted(new SasRecOptions { Dimension = 16, Blocks = 1, MaxLength = 20, MaxHistory = 4 });

        using var expected = full.Score([.. inputs.Select(i => i[^Math.Min(4, i.Length)..])]);
        using var actual = cut.Score(inputs);
        using var unchanged = full.Score(inputs);

        Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
        Assert.NotEqual(unchanged.data<float>().ToArray(), actual.data<float>().ToArray());
    }

    private static SasRecRecommender Fitted(SasRecOptions options)
    {
        var model = new SasRecRecommender(options, Training);
        model.Fit(TinyTraining.Split, new SilentTrainingReporter());
        return model;
    }
}
