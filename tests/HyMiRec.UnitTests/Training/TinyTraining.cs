using HyMiRec.Model.Data;
using HyMiRec.Model.Interests;
using HyMiRec.Training.Training;

namespace HyMiRec.UnitTests.Training;

/// <summary>The small planted split and HyMiRec shape that whole training runs in unit tests use (seconds each).</summary>
internal static class TinyTraining
{
    public static readonly LeaveOneOutSplit Split = LeaveOneOutSplit.Create(SyntheticDataset.Generate(new SyntheticOptions
    {
        Seed = 5, Users = 40, Topics = 4, ItemsPerTopic = 10, MinLength = 12, MaxLength = 20,
    }).Dataset);

    public static readonly HyMiRecOptions HyMiRec = new()
    {
        Dimension = 16, Heads = 2, MaxTextTokens = 12, CoarseQueries = 2, MaxHistory = 32, CodebookLayers = 2, CodebookCodes = 8,
        RefinedBlocks = 1, RecentWindow = 8,
    };

    /// <summary>Fits <see cref="HyMiRec"/> (or <paramref name="options"/>) on the split and returns its test scores [B x (N+1)].</summary>
    public static float[] HyMiRecTestScores(TrainingOptions training, HyMiRecTrainingOptions extra, HyMiRecOptions? options = null)
    {
        using var model = new HyMiRecRecommender("hymirec", options ?? HyMiRec, training, extra);
        model.Fit(Split, new SilentTrainingReporter());
        using var scores = model.Score(Split.Test.Select(c => c.Input).ToArray()); // [B, N+1]
        return scores.data<float>().ToArray();
    }
}
