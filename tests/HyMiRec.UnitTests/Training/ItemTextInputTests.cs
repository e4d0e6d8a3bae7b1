using HyMiRec.Model.Interests;
using HyMiRec.Training.Training;

namespace HyMiRec.UnitTests.Training;

/// <summary>Pretrained item text needs its checkpoint; without one training stops before it starts, saying which flag gives it.</summary>
public sealed class ItemTextInputTests
{
    private static readonly TrainingOptions Training = new() { Epochs = 1, BatchSize = 16, EvaluateEvery = 1, Seed = 3 };

    private static readonly HyMiRecTrainingOptions Extra = new() { SequenceLength = 20, CutsPerSequence = 2, StageOneEpochs = 1 };

    [Fact]
    public void Pretrained_text_without_a_checkpoint_is_refused_naming_the_flag()
    {
        using var model = new HyMiRecRecommender("hymirec-llama", TinyTraining.HyMiRec with { TextSource = TextSource.Pretrained, PretrainedTextWidth = 8 },
            Training, Extra);
        var error = Assert.Throws<InvalidOperationException>(() => model.Fit(TinyTraining.Split, new SilentTrainingReporter()));
        Assert.Contains("hymirec-llama", error.Message, StringComparison.Ordinal);
        Assert.Contains("--text-model", error.Message, StringComparison.Ordinal);
    }
}
