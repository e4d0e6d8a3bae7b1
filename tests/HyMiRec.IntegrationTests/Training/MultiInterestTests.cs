using HyMiRec.Model.Data;
using HyMiRec.Model.Interests;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Evaluation;
using HyMiRec.Training.Training;
using static TorchSharp.torch;

namespace HyMiRec.IntegrationTests.Training;

/// <summary>
/// Users with three planted topics: a multi-interest model must learn them, and its interests must point at
/// different topics. Whether s = 3 beats s = 1 here is the paper's claim, measured over seeds by
/// `trainer benchmark --data planted` (docs/benchmarks.md), not asserted here: a single run's order between two close
/// models flips with the host's CPU kernels (AVX2 against AVX-512), and a test must pass on every host.
/// </summary>
public sealed class MultiInterestTests(ITestOutputHelper output)
{
    private static readonly SyntheticDataset Planted = SyntheticDataset.Generate(DatasetSource.PlantedOptions with { Seed = 7 });

    private static readonly TrainingOptions Training = new() { Epochs = 30, BatchSize = 32, EvaluateEvery = 5, Patience = 10, Seed = 42 };

    [Fact]
    public void Three_interests_learn_the_planted_topics_and_point_at_different_ones()
    {
        var split = LeaveOneOutSplit.Create(Planted.Dataset);
        var options = new HyMiRecOptions
        {
            Dimension = 16, RecentWindow = 10, MaxHistory = 128, CodebookCodes = 32, RefinedBlocks = 1, MaxTextTokens = 12, RefinedQueries = 3,
        };
        using var three = new HyMiRecRecommender("hymirec-s3", options, Training, new HyMiRecTrainingOptions { SequenceLength = 48, CutsPerSequence = 8 });
        three.Fit(split, new SilentTrainingReporter());
        // Planted users revisit their topics' popular items, so the history is kept in the ranking here.
        var recall = Evaluator.Evaluate(three, split.Test, excludeHistory: false)["recall@10"];
        var chance = 10.0 / Planted.Dataset.ItemCount;

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

        output.WriteLine($"s = 3 recall@10 {recall:F4} (chance {chance:F4}); interests cover {distinct.Average():F2} topics");
        Assert.True(recall >= 2.5 * chance, $"s = 3 recall@10 {recall:F4} should be at least 2.5 x chance ({chance:F4})");
        Assert.True(distinct.Average() >= 1.8, $"interests cover {distinct.Average():F2} distinct topics on average");
    }
}
