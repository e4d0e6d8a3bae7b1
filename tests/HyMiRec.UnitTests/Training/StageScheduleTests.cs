using HyMiRec.Model.Data;
using HyMiRec.Training.Training;

namespace HyMiRec.UnitTests.Training;

/// <summary>
/// Stage 1 ends on its own validation plateau rather than after a share of a large epoch cap, and Stage 2 then
/// early-stops by the same rule. A learning rate of zero keeps every validation equal, so both plateaus arrive on the
/// first epochs the rule allows, on every CPU.
/// </summary>
public sealed class StageScheduleTests
{
    [Fact]
    public void Stage_one_ends_on_its_plateau_and_stage_two_early_stops_by_the_same_rule()
    {
        var split = LeaveOneOutSplit.Create(SyntheticDataset.Generate(new SyntheticOptions
        {
            Seed = 6, Users = 40, Topics = 4, ItemsPerTopic = 10, MinLength = 12, MaxLength = 20,
        }).Dataset);
        var training = new TrainingOptions { Epochs = 40, BatchSize = 16, EvaluateEvery = 1, Patience = 2, MinEpochs = 1, LearningRate = 0 };
        var log = new Log();
        using var model = new HyMiRecRecommender("hymirec", TrainerScaleTests.Small with { MaxTextTokens = 8, CodebookCodes = 8, CodebookLayers = 1 }, training,
            new HyMiRecTrainingOptions { SequenceLength = 20, CutsPerSequence = 2, StageOneShare = 0.9 }); // the share alone: 36 epochs
        model.Fit(split, log);

        // Stage 1: a best at epoch 1, then two validations without gain; Stage 2 the same from epoch 4.
        Assert.Contains(log.Messages, m => m.StartsWith("Stage 1 ends on its validation plateau at epoch 3 ", StringComparison.Ordinal));
        Assert.Contains(log.Messages, m => m.StartsWith("early stop at epoch 6,", StringComparison.Ordinal));
        Assert.Equal(6, model.EpochsRun);
        Assert.NotNull(model.BestValidation);
    }

    [Fact]
    public void A_plateau_needs_patience_validations_without_gain_and_the_minimum_epochs()
    {
        var plateau = new ValidationPlateau(new TrainingOptions { Patience = 2, MinEpochs = 5 });
        Assert.False(plateau.HasBest);
        Assert.True(plateau.Improved(0.10));
        Assert.False(plateau.Improved(0.10)); // equal is no gain
        Assert.False(plateau.Reached(2));
        Assert.True(plateau.Improved(0.11)); // a gain resets the count
        Assert.False(plateau.Improved(0.09));
        Assert.False(plateau.Improved(0.10));
        Assert.False(plateau.Reached(4)); // patience spent, minimum epochs not
        Assert.True(plateau.Reached(5));
        Assert.Equal(0.11, plateau.Best);
    }

    private sealed class Log : ITrainingReporter
    {
        public List<string> Messages { get; } = [];

        public void Epoch(string model, int epoch, int epochs, double? loss, double? validation, TimeSpan elapsed)
        {
        }

        public void Message(string model, string message) => Messages.Add(message);
    }
}
