using HyMiRec.Model.Data;
using HyMiRec.Model.Modules;
using HyMiRec.Training.Evaluation;
using HyMiRec.Training.Training;
using static TorchSharp.torch;

namespace HyMiRec.UnitTests.Training;

/// <summary>
/// The moving average of the weights: its arithmetic, the swap that lets validation judge it, and that judging it
/// leaves training itself exactly as it was (the same losses, epoch by epoch) while the kept weights are the average.
/// </summary>
public sealed class WeightAverageTests
{
    [Fact]
    public void The_average_is_the_running_mean_at_first_then_decays_with_its_horizon()
    {
        using var layer = nn.Linear(2, 1, hasBias: false);
        SetWeight(layer, 1);
        using var average = new WeightAverage(layer, horizonSteps: 3); // decay 2/3

        Assert.Equal(0.5, average.NextDecay, 12); // mean of the start and the first step
        SetWeight(layer, 3);
        average.Update(); // (1 + 3) / 2 = 2
        Assert.Equal(2.0 / 3, average.NextDecay, 12); // the horizon's decay from here on
        SetWeight(layer, 5);
        average.Update(); // 2 * 2/3 + 5 / 3 = 3
        SetWeight(layer, 0);
        average.Update(); // 3 * 2/3 = 2

        using (average.Apply())
        {
            Assert.Equal(2f, Weight(layer), 5);
            Assert.Throws<InvalidOperationException>(average.Update);
            Assert.Throws<InvalidOperationException>(() => average.Apply());
        }

        Assert.Equal(0f, Weight(layer)); // the live weights are back
        average.Reset();
        using (average.Apply())
        {
            Assert.Equal(0f, Weight(layer));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => new WeightAverage(layer, horizonSteps: 0.5));
    }

    [Fact]
    public void The_horizon_is_given_in_epochs_and_zero_turns_the_average_off()
    {
        using var layer = nn.Linear(2, 1);
        var log = new Log();
        Assert.Null(WeightAverage.Start(layer, new TrainingOptions(), sequences: 100, log, "m"));
        Assert.Empty(log.Messages);
        using var average = WeightAverage.Start(layer, new TrainingOptions { AverageEpochs = 2, BatchSize = 16 }, sequences: 100, log, "m");
        Assert.NotNull(average);
        Assert.Equal(1 - (1.0 / 14), average.Decay, 12); // 7 steps an epoch
        Assert.EndsWith("time constant 2 epochs (14 steps)", Assert.Single(log.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public void Sasrec_judges_and_keeps_the_average_without_changing_how_it_trains()
    {
        var training = new TrainingOptions { Epochs = 4, BatchSize = 16, Negatives = 8, EvaluateEvery = 1, MinEpochs = 40, LearningRate = 1e-2 };
        var options = new SasRecOptions { Dimension = 8, Blocks = 1, MaxLength = 20 };
        var (live, liveWeights) = Fit(new SasRecRecommender(options, training), m => m.Model);
        var (averaged, averagedWeights) = Fit(new SasRecRecommender(options, training with { AverageEpochs = 1 }), m => m.Model);

        Assert.Equal(live.Losses, averaged.Losses);
        Assert.Equal(4, averaged.Validations.Count);
        Assert.NotEqual(liveWeights, averagedWeights);
    }

    [Fact]
    public void Hymirec_averages_stage_two_only_without_changing_how_it_trains()
    {
        var training = new TrainingOptions { Epochs = 6, BatchSize = 16, EvaluateEvery = 1, MinEpochs = 40 };
        var extra = new HyMiRecTrainingOptions { SequenceLength = 20, CutsPerSequence = 2, StageOneShare = 0.5 };
        var options = TrainerScaleTests.Small with { MaxTextTokens = 8, CodebookCodes = 8, CodebookLayers = 1 };
        var (live, liveWeights) = Fit(new HyMiRecRecommender("hymirec", options, training, extra), m => m.Network);
        var (averaged, averagedWeights) = Fit(new HyMiRecRecommender("hymirec", options, training with { AverageEpochs = 1 }, extra), m => m.Network);

        Assert.Equal(live.Losses, averaged.Losses);
        Assert.Equal(live.Validations.Take(3), averaged.Validations.Take(3)); // Stage 1 judges the live weights
        Assert.NotEqual(liveWeights, averagedWeights);
    }

    [Fact]
    public void The_weights_kept_are_the_averaged_weights_that_scored_the_best_validation()
    {
        // Judged under the average and copied while it is loaded: after training, the model scores its best validation.
        var training = new TrainingOptions { Epochs = 5, BatchSize = 16, Negatives = 8, EvaluateEvery = 1, MinEpochs = 40, AverageEpochs = 1 };
        var split = Split();
        using var sasrec = new SasRecRecommender(new SasRecOptions { Dimension = 8, Blocks = 1, MaxLength = 20 }, training with { LearningRate = 1e-2 });
        var log = new Log();
        sasrec.Fit(split, log);
        Assert.Equal(log.Validations.Max(), Validate(sasrec, split, training), 6);

        var extra = new HyMiRecTrainingOptions { SequenceLength = 20, CutsPerSequence = 2, StageOneShare = 0.4 };
        using var hymirec = new HyMiRecRecommender("hymirec", TrainerScaleTests.Small with { MaxTextTokens = 8, CodebookCodes = 8, CodebookLayers = 1 }, training, extra);
        hymirec.Fit(split, new Log());
        Assert.NotNull(hymirec.BestValidation);
        Assert.Equal(hymirec.BestValidation.Value, Validate(hymirec, split, training), 6);
    }

    private static double Validate(IRecommender model, LeaveOneOutSplit split, TrainingOptions training) =>
        Evaluator.Evaluate(model, split.Validation, excludeHistory: training.ValidationExcludesHistory)["ndcg@10"];

    private static (Log Log, float[] Weights) Fit<T>(T model, Func<T, nn.Module> network)
        where T : IRecommender, IDisposable
    {
        using var owned = model;
        var log = new Log();
        model.Fit(Split(), log);
        var weights = network(model).parameters().SelectMany(p => p.detach().flatten().data<float>().ToArray()).ToArray();
        return (log, weights);
    }

    private static void SetWeight(nn.Module layer, float value)
    {
        using var noGrad = no_grad();
        layer.parameters().Single().fill_(value);
    }

    private static float Weight(nn.Module layer) => layer.parameters().Single()[0, 0].item<float>();

    private static LeaveOneOutSplit Split() => LeaveOneOutSplit.Create(SyntheticDataset.Generate(new SyntheticOptions
    {
        Seed = 6, Users = 40, Topics = 4, ItemsPerTopic = 10, MinLength = 12, MaxLength = 20,
    }).Dataset);

    private sealed class Log : ITrainingReporter
    {
        public List<double?> Losses { get; } = [];

        public List<double> Validations { get; } = [];

        public void Epoch(string model, int epoch, int epochs, double? loss, double? validation, TimeSpan elapsed)
        {
            Losses.Add(loss);
            if (validation is { } value)
            {
                Validations.Add(value);
            }
        }

        public List<string> Messages { get; } = [];

        public void Message(string model, string message) => Messages.Add(message);
    }
}
