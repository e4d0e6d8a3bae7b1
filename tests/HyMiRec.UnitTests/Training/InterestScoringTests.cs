using HyMiRec.Model;
using HyMiRec.Training.Training;

namespace HyMiRec.UnitTests.Training;

/// <summary>--scoring changes what ranks items at validation and test, never the weights training produces.</summary>
public sealed class InterestScoringTests
{
    // One validation, at the last epoch, so every scoring keeps the same weights and only the ranking rule differs.
    private static readonly TrainingOptions Training = new() { Epochs = 3, BatchSize = 16, Negatives = 16, EvaluateEvery = 3, Patience = 5, Seed = 13 };

    private static readonly HyMiRecTrainingOptions Extra = new() { SequenceLength = 20, CutsPerSequence = 4, StageOneEpochs = 1 };

    [Fact]
    public void Interests_and_last_item_score_each_item_by_the_better_of_the_two_rules()
    {
        var interests = Scores(InterestScoring.Interests);
        var lastItem = Scores(InterestScoring.LastItem);
        var both = Scores(InterestScoring.InterestsAndLastItem);

        Assert.Equal(interests.Length, both.Length);
        Assert.NotEqual(interests, lastItem);
        for (var i = 0; i < both.Length; i++)
        {
            Assert.Equal(Math.Max(interests[i], lastItem[i]), both[i], 1e-6f);
        }
    }

    [Fact]
    public void The_last_item_rules_need_the_per_position_loss_that_trains_that_token()
    {
        var error = Assert.Throws<OptionValueException>(() =>
            (Extra with { Scoring = InterestScoring.LastItem, PositionNextItemWeight = 0 }).Validate());
        Assert.Contains(nameof(HyMiRecTrainingOptions.Scoring), error.Message, StringComparison.Ordinal);
        (Extra with { Scoring = InterestScoring.Interests, PositionNextItemWeight = 0 }).Validate();
    }

    private static float[] Scores(InterestScoring scoring) => TinyTraining.HyMiRecTestScores(Training, Extra with { Scoring = scoring });
}
