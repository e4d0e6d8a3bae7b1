using HyMiRec.Model.Data;
using HyMiRec.Model.Interests;
using HyMiRec.Trainer.Evaluation;
using HyMiRec.Trainer.Training;
using static TorchSharp.torch;

namespace HyMiRec.Tests.Training;

/// <summary>The paper's central claim on data where it must hold: users with three planted topics.</summary>
public sealed class MultiInterestTests
{
    private static readonly SyntheticDataset Planted = SyntheticDataset.Generate(new SyntheticOptions
    {
        Seed = 7, Users = 300, Topics = 8, ItemsPerTopic = 20, MinTopics = 3, MaxTopics = 3, MinLength = 40, MaxLength = 70,
        StayProbability = 0.3,
    });

    private static readonly TrainingOptions Training = new() { Epochs = 30, BatchSize = 32, EvaluateEvery = 5, Patience = 10, Seed = 42 };

    [Fact]
    public void Three_interests_beat_one_and_point_at_different_planted_topics()
    {
        var split = LeaveOneOutSplit.Create(Planted.Dataset);
        var options = new HyMiRecOptions
        {
            Dimension = 16, RecentWindow = 10, MaxHistory = 128, CodebookCodes = 32, RefinedBlocks = 1, MaxTextTokens = 12,
        };
        using var three = Fit(split, options with { RefinedQueries = 3 });
        using var one = Fit(split, options with { RefinedQueries = 1 });

        // Planted users revisit their topics' popular items, so the history is kept in the ranking here.
        var recallThree = Evaluator.Evaluate(three, split.Test, excludeHistory: false)["recall@10"];
        var recallOne = Evaluator.Evaluate(one, split.Test, excludeHistory: false)["recall@10"];
        Assert.True(recallThree > recallOne, $"s = 3 recall@10 {recallThree:F4} should beat s = 1 {recallOne:F4}");

        // Each interest's nearest items: their majority planted topic. Three interests should cover several topics.
        var (interests, items) = three.InterestsAndItems(split.Test.Select(c => c.Input).ToArray());
        var cosines = nn.functional.normalize(interests, dim: -1).matmul(nn.functional.normalize(items, dim: -1).t()); // [U, 3, N+1]
        cosines[.., .., 0] = float.NegativeInfinity;
        var top = cosines.topk(10, dim: -1).indexes.data<long>().ToArray(); // [U, 3, 10]
        var distinct = new List<int>();
        for (var u = 0; u < split.Test.Length; u++)
        {
            var topics = Enumerable.Range(0, 3)
                .Select(s => top.Skip(((u * 3) + s) * 10).Take(10).GroupBy(i => Planted.ItemTopic[i]).MaxBy(g => g.Count())!.Key)
                .Distinct().Count();
            distinct.Add(topics);
        }

        Assert.True(distinct.Average() >= 2.0, $"interests cover {distinct.Average():F2} distinct topics on average");
    }

    private static HyMiRecRecommender Fit(LeaveOneOutSplit split, HyMiRecOptions options)
    {
        var model = new HyMiRecRecommender($"hymirec-s{options.RefinedQueries}", options, Training,
            new HyMiRecTrainingOptions { SequenceLength = 48, CutsPerSequence = 8 });
        model.Fit(split, new SilentTrainingReporter());
        return model;
    }
}
