using HyMiRec.Model.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace HyMiRec.UnitTests.Metrics;

public sealed class RankingMetricsTests
{
    /// <summary>One row over items 1..N: the target gets 0 and exactly <paramref name="above"/> items get 1.</summary>
    private static float[] RowWithRank(int items, int target, int above)
    {
        var row = new float[items + 1];
        row[0] = 100f; // padding column must never count
        for (int item = 1, placed = 0; item <= items; item++)
        {
            row[item] = item == target ? 0f : placed++ < above ? 1f : -1f;
        }

        return row;
    }

    private static Tensor Scores(params float[][] rows) =>
        torch.tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);

    [Fact]
    public void Target_ranked_first_scores_one()
    {
        using var scope = torch.NewDisposeScope();
        var metrics = new RankingMetrics();
        metrics.AddBatch(Scores(RowWithRank(300, 5, 0)), [5], null);
        var result = metrics.Result();
        Assert.Equal(1, result.Count);
        Assert.All(result.Recall.Values, v => Assert.Equal(1.0, v));
        Assert.All(result.Ndcg.Values, v => Assert.Equal(1.0, v, 12));
    }

    [Fact]
    public void Rank_three_gives_inverse_log2_of_five()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal([3L], RankingMetrics.Ranks(Scores(RowWithRank(20, 10, 3)), [10]));
        var metrics = new RankingMetrics([10]);
        metrics.AddBatch(Scores(RowWithRank(20, 10, 3)), [10]);
        Assert.Equal(1.0 / Math.Log2(5), metrics.Result().Ndcg[10], 12);
        Assert.Equal(1.0, metrics.Result().Recall[10]);
    }

    [Theory]
    [InlineData(9, 1.0)]
    [InlineData(10, 0.0)]
    public void K_boundary_is_exclusive(int rank, double expectedRecall)
    {
        using var scope = torch.NewDisposeScope();
        var metrics = new RankingMetrics([10]);
        metrics.AddBatch(Scores(RowWithRank(30, 30, rank)), [30]);
        Assert.Equal(expectedRecall, metrics.Result().Recall[10]);
        Assert.Equal(expectedRecall == 0 ? 0 : 1.0 / Math.Log2(rank + 2), metrics.Result().Ndcg[10], 12);
    }

    [Fact]
    public void Ties_are_broken_by_smaller_item_index()
    {
        using var scope = torch.NewDisposeScope();
        var allEqual = new float[11];
        Assert.Equal([3L], RankingMetrics.Ranks(Scores(allEqual), [4]));
        Assert.Equal([0L], RankingMetrics.Ranks(Scores(allEqual), [1]));

        // One strictly higher item plus ties at indices 1 and 2 below target 3.
        float[] row = [0f, 0.5f, 0.5f, 0.5f, 0.9f, 0.5f];
        Assert.Equal([3L], RankingMetrics.Ranks(Scores(row), [3]));
    }

    [Fact]
    public void Excluded_items_and_padding_do_not_count()
    {
        using var scope = torch.NewDisposeScope();
        float[] row = [9f, 0.9f, 0.8f, 0.1f, 0.7f, 0.2f];
        Assert.Equal([3L], RankingMetrics.Ranks(Scores(row), [5]));
        Assert.Equal([1L], RankingMetrics.Ranks(Scores(row), [5], [[1, 2]]));

        // A target in its own exclude list is masked and falls behind every unmasked item.
        Assert.Equal([4L], RankingMetrics.Ranks(Scores(row), [5], [[5]]));
    }

    [Fact]
    public void Batched_ranks_equal_one_at_a_time_and_a_plain_loop()
    {
        using var scope = torch.NewDisposeScope();
        var rng = new Random(7);
        const int batch = 16;
        const int items = 300;

        // Coarse scores make ties common, so the tie-break is exercised too.
        var rows = Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, items + 1).Select(_ => (float)rng.Next(20)).ToArray()).ToArray();
        var targets = Enumerable.Range(0, batch).Select(_ => rng.Next(1, items + 1)).ToArray();
        var exclude = targets.Select(t => Enumerable.Range(0, 30).Select(_ => rng.Next(1, items + 1)).Where(i => i != t).ToArray()).ToArray();

        var batched = RankingMetrics.Ranks(Scores(rows), targets, exclude);
        var single = new RankingMetrics();
        var all = new RankingMetrics();
        all.AddBatch(Scores(rows), targets, exclude);
        for (var b = 0; b < batch; b++)
        {
            Assert.Equal(batched[b], RankingMetrics.Ranks(Scores(rows[b]), [targets[b]], [exclude[b]])[0]);
            Assert.Equal(batched[b], LoopRank(rows[b], targets[b], exclude[b]));
            single.AddBatch(Scores(rows[b]), [targets[b]], [exclude[b]]);
        }

        Assert.Equal(single.Result().ToDictionary(), all.Result().ToDictionary());
    }

    private static long LoopRank(float[] row, int target, int[] exclude)
    {
        var rank = 0L;
        for (var item = 1; item < row.Length; item++)
        {
            if (item == target || exclude.Contains(item))
            {
                continue;
            }

            if (row[item] > row[target] || (row[item] == row[target] && item < target))
            {
                rank++;
            }
        }

        return rank;
    }

    [Fact]
    public void Means_over_cases_and_dictionary_keys()
    {
        var metrics = new RankingMetrics();
        metrics.AddRank(0);
        metrics.AddRank(30);
        metrics.AddRank(1000);
        metrics.AddRank(100);
        var values = metrics.Result().ToDictionary();
        Assert.Equal(["recall@10", "ndcg@10", "recall@50", "ndcg@50", "recall@200", "ndcg@200"], values.Keys);
        Assert.Equal(0.25, values["recall@10"]);
        Assert.Equal(0.5, values["recall@50"]);
        Assert.Equal(0.75, values["recall@200"]);
        Assert.Equal((1 + (1 / Math.Log2(32)) + (1 / Math.Log2(102))) / 4, values["ndcg@200"], 12);

        metrics.Reset();
        Assert.Equal(0, metrics.Result().Count);
    }

    [Fact]
    public void Rejects_targets_outside_the_catalog()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetrics.Ranks(Scores(new float[5]), [0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetrics.Ranks(Scores(new float[5]), [5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetrics.Ranks(Scores(new float[5]), [1], [[7]]));
    }

    [Fact]
    public void Nan_target_score_is_not_a_hit()
    {
        using var scope = torch.NewDisposeScope();
        float[] row = [0f, 0.3f, float.NaN, 0.1f];
        Assert.Equal([2L], RankingMetrics.Ranks(Scores(row), [2]));
    }
}
