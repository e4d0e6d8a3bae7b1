using HyMiRec.Model.Data;
using HyMiRec.Model.Modules;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Training;
using Microsoft.Extensions.Time.Testing;

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
        var training = new TrainingOptions { Epochs = 40, BatchSize = 16, EvaluateEvery = 1, Patience = 2, MinEpochs = 1, LearningRate = 0 };
        var log = new Log();
        using var model = new HyMiRecRecommender("hymirec", TrainerScaleTests.Small with { MaxTextTokens = 8, CodebookCodes = 8, CodebookLayers = 1 }, training,
            new HyMiRecTrainingOptions { SequenceLength = 20, CutsPerSequence = 2, StageOneShare = 0.9 }); // the share alone: 36 epochs
        model.Fit(Split(), log);

        // Stage 1: a best at epoch 1, then two validations without gain; Stage 2 the same from epoch 4.
        Assert.Contains(log.Messages, m => m.StartsWith("Stage 1 ends on its validation plateau at epoch 3 ", StringComparison.Ordinal));
        Assert.Contains(log.Messages, m => m.StartsWith("early stop at epoch 6,", StringComparison.Ordinal));
        Assert.Equal(6, model.EpochsRun);
        Assert.NotNull(model.BestValidation);
        Assert.Equal("codebook built after epoch 3", BenchmarkRunner.Note(model)); // the benchmark row's note
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

    [Fact]
    public void A_validation_that_uses_up_stage_one_or_the_budget_ends_it_there_without_an_empty_epoch()
    {
        // Stage 1 has half of the 10 minutes: the validation at epoch 4 crosses 5 minutes, the one at epoch 8 crosses 10.
        var (model, log) = FitOnSlowValidations(stageOneEpochs: null);
        using var owned = model;

        Assert.DoesNotContain(log.Events, e => e.Contains("reached inside epoch", StringComparison.Ordinal));
        var codebook = log.Events.FindIndex(e => e.StartsWith("stage 2:", StringComparison.Ordinal));
        Assert.Equal("epoch 4 validated", log.Events[codebook - 1]);
        Assert.Equal("2 4 6 8", ValidatedEpochs(log));
        Assert.Contains(log.Events, e => e.StartsWith("stopped by the time budget 0:10:00 at epoch 8;", StringComparison.Ordinal));
        Assert.True(model.StoppedByBudget);
        Assert.Equal(8, model.EpochsRun);
        Assert.Equal(4, model.StageOneEpochsRun);
        Assert.Equal("codebook built after epoch 4; stopped by the time budget at epoch 8", BenchmarkRunner.Note(model));
    }

    [Fact]
    public void A_fixed_stage_one_ignores_the_time_share_and_the_whole_budget_still_stops_it()
    {
        var clock = new FakeTimeProvider();
        var training = new TrainingOptions { Epochs = 100, TimeBudget = TimeSpan.FromMinutes(100), Clock = clock };
        var byShare = new StageSchedule(training, new HyMiRecTrainingOptions { StageOneShare = 0.35 }, twoStages: true, new TrainingBudget(training));
        var fixedCap = new StageSchedule(training, new HyMiRecTrainingOptions { StageOneShare = 0.35, StageOneEpochs = 17 }, twoStages: true, new TrainingBudget(training));
        Assert.Equal(35, byShare.Cap);
        Assert.Equal(17, fixedCap.Cap);

        clock.Advance(TimeSpan.FromMinutes(36)); // past 35 % of the budget
        Assert.True(byShare.OutOfShare);
        Assert.True(byShare.StopsBatches);
        Assert.False(fixedCap.OutOfShare);
        Assert.False(fixedCap.StopsBatches);
        Assert.False(fixedCap.AtCap(16));
        Assert.True(fixedCap.AtCap(17));

        fixedCap.StartStageTwo(17);
        Assert.False(fixedCap.InStageOne);
        Assert.False(fixedCap.AtCap(40));
        Assert.Equal(17, fixedCap.StageOneEpochs);
        clock.Advance(TimeSpan.FromMinutes(65));
        Assert.True(fixedCap.StopsBatches);

        var oneStage = new StageSchedule(training, new HyMiRecTrainingOptions { StageOneEpochs = 17 }, twoStages: false, new TrainingBudget(training));
        Assert.False(oneStage.InStageOne);
        Assert.False(oneStage.AtCap(17));
        Assert.Null(oneStage.StageOneEpochs);
    }

    [Fact]
    public void Stage_one_fixed_in_epochs_ends_there_whatever_the_clock_says()
    {
        // The clock that ends Stage 1 by its time share at epoch 4; fixed at 6 epochs, the time share no longer applies
        // and only the whole budget still stops the run.
        var (model, log) = FitOnSlowValidations(stageOneEpochs: 6);
        using var owned = model;

        var codebook = log.Events.FindIndex(e => e.StartsWith("stage 2:", StringComparison.Ordinal));
        Assert.Equal("Stage 1 ends at its cap of 6 epochs", log.Events[codebook - 2]);
        Assert.Equal("epoch 6 validated", log.Events[codebook - 1]);
        Assert.Equal(6, model.StageOneEpochsRun);
        Assert.Contains(log.Events, e => e.StartsWith("stopped by the time budget 0:10:00 at epoch 8;", StringComparison.Ordinal));
        Assert.Equal(8, model.EpochsRun);
    }

    [Fact]
    public void A_validation_that_uses_up_sasrecs_budget_ends_the_run_there()
    {
        var clock = new FakeTimeProvider();
        var log = new Log(() => clock.Advance(TimeSpan.FromMinutes(3)));
        var training = new TrainingOptions
        {
            Epochs = 40, BatchSize = 16, Negatives = 8, EvaluateEvery = 2, MinEpochs = 40, LearningRate = 0,
            TimeBudget = TimeSpan.FromMinutes(5), Clock = clock,
        };
        using var model = new SasRecRecommender(new SasRecOptions { Dimension = 8, Blocks = 1, MaxLength = 20 }, training);
        model.Fit(Split(), log);

        Assert.DoesNotContain(log.Events, e => e.Contains("reached inside epoch", StringComparison.Ordinal));
        Assert.Equal("2 4", ValidatedEpochs(log));
        Assert.True(model.StoppedByBudget);
        Assert.Equal(4, model.EpochsRun);
        Assert.Equal("stopped by the time budget at epoch 4", BenchmarkRunner.Note(model));
    }

    /// <summary>
    /// Fits with a 10-minute budget on a fake clock where every validation "takes" 3 minutes, Stage 1 given half of the
    /// budget (or <paramref name="stageOneEpochs"/>); no plateau can end either stage first (MinEpochs 40).
    /// </summary>
    private static (HyMiRecRecommender Model, Log Log) FitOnSlowValidations(int? stageOneEpochs)
    {
        var clock = new FakeTimeProvider();
        var log = new Log(() => clock.Advance(TimeSpan.FromMinutes(3)));
        var training = new TrainingOptions
        {
            Epochs = 40, BatchSize = 16, EvaluateEvery = 2, Patience = 2, MinEpochs = 40, LearningRate = 0,
            TimeBudget = TimeSpan.FromMinutes(10), Clock = clock,
        };
        var model = new HyMiRecRecommender("hymirec", TrainerScaleTests.Small with { MaxTextTokens = 8, CodebookCodes = 8, CodebookLayers = 1 }, training,
            new HyMiRecTrainingOptions { SequenceLength = 20, CutsPerSequence = 2, StageOneShare = 0.5, StageOneEpochs = stageOneEpochs });
        model.Fit(Split(), log);
        return (model, log);
    }

    private static string ValidatedEpochs(Log log) => string.Join(' ', log.Events
        .Where(e => e.EndsWith(" validated", StringComparison.Ordinal))
        .Select(e => e.Split(' ')[1]));

    private static LeaveOneOutSplit Split() => LeaveOneOutSplit.Create(SyntheticDataset.Generate(new SyntheticOptions
    {
        Seed = 6, Users = 40, Topics = 4, ItemsPerTopic = 10, MinLength = 12, MaxLength = 20,
    }).Dataset);

    /// <summary>Messages and epochs in the order reported; <paramref name="onValidated"/> runs after each validated epoch.</summary>
    private sealed class Log(Action? onValidated = null) : ITrainingReporter
    {
        public List<string> Messages { get; } = [];

        public List<string> Events { get; } = [];

        public void Epoch(string model, int epoch, int epochs, double? loss, double? validation, TimeSpan elapsed)
        {
            Events.Add(validation is null ? $"epoch {epoch}" : $"epoch {epoch} validated");
            if (validation is not null)
            {
                onValidated?.Invoke();
            }
        }

        public void Message(string model, string message)
        {
            Messages.Add(message);
            Events.Add(message);
        }
    }
}
