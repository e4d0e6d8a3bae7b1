using HyMiRec.Model;
using HyMiRec.Model.Data;
using HyMiRec.Model.Modules;
using HyMiRec.Training.Training;

namespace HyMiRec.UnitTests.Training;

/// <summary>Options built in code get the same refusal as the CLI's flags, before anything is trained.</summary>
public sealed class TrainingOptionsTests
{
    public static TheoryData<string, TrainingOptions> Invalid => new()
    {
        { "Epochs", new TrainingOptions { Epochs = 0 } },
        { "BatchSize", new TrainingOptions { BatchSize = -1 } },
        { "Negatives", new TrainingOptions { Negatives = 0 } },
        { "LearningRate", new TrainingOptions { LearningRate = -1e-3 } },
        { "LearningRate", new TrainingOptions { LearningRate = double.NaN } },
        { "WeightDecay", new TrainingOptions { WeightDecay = -0.1 } },
        { "Temperature", new TrainingOptions { Temperature = 0 } },
        { "Temperature", new TrainingOptions { Temperature = double.PositiveInfinity } },
        { "EvaluateEvery", new TrainingOptions { EvaluateEvery = 0 } },
        { "Patience", new TrainingOptions { Patience = 0 } },
        { "MinEpochs", new TrainingOptions { MinEpochs = -1 } },
        { "TimeBudget", new TrainingOptions { TimeBudget = TimeSpan.FromSeconds(-1) } },
        { "AverageEpochs", new TrainingOptions { AverageEpochs = -2 } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Out_of_range_options_name_the_setting(string setting, TrainingOptions options)
    {
        var error = Assert.Throws<OptionValueException>(options.Validate);

        Assert.Equal(setting, error.ParamName);
        Assert.StartsWith($"training options: {setting} ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, HyMiRecTrainingOptions> InvalidHyMiRec => new()
    {
        { "SequenceLength", new HyMiRecTrainingOptions { SequenceLength = 1 } },
        { "CutsPerSequence", new HyMiRecTrainingOptions { CutsPerSequence = 0 } },
        { "MergedNextItemWeight", new HyMiRecTrainingOptions { MergedNextItemWeight = -1 } },
        { "PositionNextItemWeight", new HyMiRecTrainingOptions { PositionNextItemWeight = double.NaN } },
        { "StageOneShare", new HyMiRecTrainingOptions { StageOneShare = 0 } },
        { "StageOneEpochs", new HyMiRecTrainingOptions { StageOneEpochs = 0 } },
        { "NegativeTextRefreshSteps", new HyMiRecTrainingOptions { NegativeTextRefreshSteps = -1 } },
        { "TextFeatureBatch", new HyMiRecTrainingOptions { TextFeatureBatch = 0 } },
    };

    [Theory]
    [MemberData(nameof(InvalidHyMiRec))]
    public void Out_of_range_hymirec_options_name_the_setting(string setting, HyMiRecTrainingOptions options)
    {
        var error = Assert.Throws<OptionValueException>(options.Validate);

        Assert.Equal(setting, error.ParamName);
    }

    [Fact]
    public void Model_options_name_the_values_a_caller_sets()
    {
        Assert.Equal("Dropout", Assert.Throws<OptionValueException>(() => new SasRecOptions { Dropout = 1 }.Validate()).ParamName);
        Assert.Equal("ItemInitStd", Assert.Throws<OptionValueException>(() => new SasRecOptions { ItemInitStd = -0.1 }.Validate()).ParamName);
        new HyMiRecTrainingOptions().Validate();
        new HyMiRecTrainingOptions { StageOneShare = 1, StageOneEpochs = 1, MergedNextItemWeight = 0, PositionNextItemWeight = 0 }.Validate();
    }

    [Fact]
    public void Defaults_and_the_settings_tests_use_to_freeze_or_stop_are_valid()
    {
        new TrainingOptions().Validate();
        new TrainingOptions { LearningRate = 0, TimeBudget = TimeSpan.Zero, Temperature = null, MinEpochs = 0, WeightDecay = 0.1 }.Validate();
    }

    [Fact]
    public void Both_models_refuse_bad_options_before_training()
    {
        var split = LeaveOneOutSplit.Create(SyntheticDataset.Generate(new SyntheticOptions
        {
            Seed = 6, Users = 12, Topics = 4, ItemsPerTopic = 10, MinLength = 12, MaxLength = 20,
        }).Dataset);
        var bad = new TrainingOptions { Epochs = 1, Temperature = 0 };
        var log = new Log();

        using var sasrec = new SasRecRecommender(new SasRecOptions(), bad);
        using var hymirec = new HyMiRecRecommender("hymirec", TrainerScaleTests.Small, bad, new HyMiRecTrainingOptions());

        Assert.Throws<OptionValueException>(() => sasrec.Fit(split, log));
        Assert.Throws<OptionValueException>(() => hymirec.Fit(split, log));
        Assert.Empty(log.Messages); // refused before the first report
        Assert.Equal(0, sasrec.EpochsRun);
    }

    private sealed class Log : ITrainingReporter
    {
        public List<string> Messages { get; } = [];

        public void Epoch(string model, int epoch, int epochs, double? loss, double? validation, TimeSpan elapsed) =>
            Messages.Add($"epoch {epoch}");

        public void Message(string model, string message) => Messages.Add(message);
    }
}
