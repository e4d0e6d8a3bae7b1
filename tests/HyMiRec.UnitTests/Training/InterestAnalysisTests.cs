using System.CommandLine;
using HyMiRec.Model.Data;
using HyMiRec.Model.IO;
using HyMiRec.Model.Serving;
using HyMiRec.Training;
using HyMiRec.Training.Commands;
using HyMiRec.Training.Evaluation;

namespace HyMiRec.UnitTests.Training;

public sealed class InterestAnalysisTests
{
    [Fact]
    public void Winner_is_the_interest_with_the_highest_cosine_to_the_item()
    {
        float[] interests = [1, 0, 0, 1]; // s = 2, D = 2
        var items = InterestAnalysis.Normalize([0, 0, 1, 0.1f, 0.2f, 1, -1, -0.5f], 2); // padding + 3 items

        Assert.Equal(0, InterestAnalysis.Winner(interests, 2, 2, items, 1));
        Assert.Equal(1, InterestAnalysis.Winner(interests, 2, 2, items, 2));
        Assert.Equal(1, InterestAnalysis.Winner(interests, 2, 2, items, 3)); // cos -0.894 vs -0.447
    }

    [Fact]
    public void Mean_pair_cosine_averages_every_pair_once()
    {
        Assert.Equal(0.6, InterestAnalysis.MeanPairCosine([1, 0, 0.6f, 0.8f], 2, 2), 6);
        Assert.Equal((0 + 0.6 + 0.8) / 3, InterestAnalysis.MeanPairCosine([1, 0, 0, 1, 0.6f, 0.8f], 3, 2), 6);
        Assert.Equal(1.0, InterestAnalysis.MeanPairCosine([0.6f, 0.8f], 1, 2));
    }

    [Fact]
    public void Taking_turns_interleaves_the_interests_lists_and_skips_items_already_taken()
    {
        static ScoredItem[] L(params int[] items) => [.. items.Select(i => new ScoredItem(i, 0))];
        IReadOnlyList<ScoredItem>[] lists = [L(5, 7, 9), L(5, 8, 6, 4)];

        // Merged order: 5 (first), 8 (second skips the taken 5), 7, 6, 9, 4.
        Assert.Equal(0, InterestAnalysis.RankInTurns(lists, 5));
        Assert.Equal(1, InterestAnalysis.RankInTurns(lists, 8));
        Assert.Equal(2, InterestAnalysis.RankInTurns(lists, 7));
        Assert.Equal(3, InterestAnalysis.RankInTurns(lists, 6));
        Assert.Equal(4, InterestAnalysis.RankInTurns(lists, 9));
        Assert.Equal(5, InterestAnalysis.RankInTurns(lists, 4));
        Assert.Equal(int.MaxValue, InterestAnalysis.RankInTurns(lists, 1));
    }

    [Fact]
    public void Normalize_scales_rows_to_unit_length_and_keeps_zero_rows()
    {
        Assert.Equal([0f, 0f, 0.6f, 0.8f], InterestAnalysis.Normalize([0, 0, 3, 4], 2));
    }

    [Fact]
    public void Recall_of_each_interest_alone_matches_a_direct_ranking_over_the_item_table()
    {
        using var model = InterestModelStore.Load(TestModel.Directory);
        var (table, _, _) = NpyFile.ReadFloat32Matrix(Path.Combine(TestModel.Directory, "items.npy"));
        var dataset = TestModel.Dataset;

        var report = InterestAnalysis.Run(model, dataset, table, seed: 3);

        var (s, d) = (model.RefinedInterests, model.Dimension);
        var items = InterestAnalysis.Normalize(table, d);
        var cases = LeaveOneOutSplit.Create(dataset).Test;
        var hits = new double[s];
        var interests = model.ComputeInterests([.. cases.Select(c => model.RequestFor(c.Input))]);
        for (var i = 0; i < cases.Length; i++)
        {
            var exclude = new HashSet<int>(cases[i].Input);
            for (var k = 0; k < s; k++)
            {
                var target = Cosine(interests[i].Refined, k, items, cases[i].Target, d);
                var above = Enumerable.Range(1, model.Catalog.ItemCount)
                    .Count(j => !exclude.Contains(j) && Cosine(interests[i].Refined, k, items, j, d) > target);
                // The protocol leaves the user's own items out of the ranking, a repeated target included.
                hits[k] += above < 10 && !exclude.Contains(cases[i].Target) ? 1 : 0;
            }
        }

        Assert.Equal(cases.Length, report.Users);
        for (var k = 0; k < s; k++)
        {
            Assert.Equal(hits[k] / cases.Length, report.SingleRecall10[k], 6);
        }

        Assert.Equal(1.0, report.TestWinnerShare.Sum(), 6);
        Assert.Equal(1.0, report.TopSlotShare.Sum(), 6);
        Assert.InRange(report.WindowSplitShare, 0, 1);
        Assert.InRange(report.InterestCosine, -1, 1);
        Assert.Contains("best cosine over all interests", InterestsCommand.Render(report, "t"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_artifact_is_one_error_line()
    {
        var error = new StringWriter();
        var code = Cli.Run(new RootCommand { InterestsCommand.Create() }, ["interests", "--model", "/nonexistent/model", "--data", "synthetic"], new StringWriter(), error);

        Assert.Equal(Cli.UsageExitCode, code);
        Assert.StartsWith("error: ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("/nonexistent/model", error.ToString(), StringComparison.Ordinal);
    }

    private static double Cosine(float[] interests, int k, float[] items, int item, int d)
    {
        var sum = 0.0;
        for (var j = 0; j < d; j++)
        {
            sum += interests[(k * d) + j] * (double)items[(item * d) + j];
        }

        return sum;
    }
}
