using HyMiRec.Model.Serving;

namespace HyMiRec.Training.Retraining;

/// <summary>
/// Scores a served model on the holdout windows exactly as the silos would answer: the user's history through the
/// model's own catalog and codebook, its refined interests, top-K retrieval with the input items excluded. Targets
/// are compared by external id, so a model that lacks a new item simply cannot hit it.
/// </summary>
public static class HoldoutEvaluator
{
    public static readonly int[] Cutoffs = [10, 50];
    private const int Batch = 64;

    /// <summary>The metric names <see cref="Evaluate"/> reports: recall@K and ndcg@K for each cutoff.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = [.. Cutoffs.SelectMany(k => new[] { $"recall@{k}", $"ndcg@{k}" })];

    /// <summary>
    /// Per-user metrics in the order of <paramref name="cases"/>. A user none of whose input items the model knows
    /// gets 0: the model cannot serve them, which is what the holdout should count. <paramref name="window"/> picks
    /// the known input items the model reads, as a silo's history window does (default: all, which the model cuts to
    /// its MaxHistory); every known input item stays excluded from the ranking either way, as a silo excludes seen items.
    /// </summary>
    public static HoldoutScores Evaluate(HyMiRecInterestModel model, IReadOnlyList<HoldoutCase> cases, Func<int[], int[]>? window = null)
    {
        var perUser = MetricNames.ToDictionary(n => n, _ => new double[cases.Count], StringComparer.Ordinal);
        var depth = Cutoffs.Max();
        var inputs = cases.Select(c => Known(model.Catalog, c.Input)).ToArray();
        var read = inputs.Select(items => window is null ? items : window(items)).ToArray();

        // A batch is padded to its longest history, as the silo's length buckets avoid: shortest first, so a few long
        // histories do not make every batch a long one.
        var order = Enumerable.Range(0, cases.Count).Where(i => inputs[i].Length > 0)
            .OrderBy(i => HistoryWindow.Length(read[i].Length, model.MaxHistory)).ToArray();
        foreach (var chunk in order.Chunk(Batch))
        {
            var interests = model.ComputeInterests([.. chunk.Select(i => model.RequestFor(read[i]))]);
            for (var j = 0; j < chunk.Length; j++)
            {
                var i = chunk[j];
                var top = model.Recommend(interests[j], depth, new HashSet<int>(inputs[i]));
                var ranked = top.Select(s => model.Catalog.ItemIds[s.ItemIndex]).ToArray();
                foreach (var k in Cutoffs)
                {
                    var (recall, ndcg) = Score(ranked, cases[i].Targets, k);
                    perUser[$"recall@{k}"][i] = recall;
                    perUser[$"ndcg@{k}"][i] = ndcg;
                }
            }
        }

        return new HoldoutScores(perUser);
    }

    /// <summary>
    /// Recall@K (share of the distinct targets in the top K) and NDCG@K with binary relevance, the ideal list
    /// holding min(K, targets) hits.
    /// </summary>
    public static (double Recall, double Ndcg) Score(IReadOnlyList<string> ranked, IReadOnlyCollection<string> targets, int k)
    {
        var relevant = new HashSet<string>(targets, StringComparer.Ordinal);
        if (relevant.Count == 0)
        {
            return (0, 0);
        }

        var hits = 0;
        var dcg = 0.0;
        for (var r = 0; r < Math.Min(k, ranked.Count); r++)
        {
            if (relevant.Contains(ranked[r]))
            {
                hits++;
                dcg += 1.0 / Math.Log2(r + 2);
            }
        }

        var ideal = Enumerable.Range(0, Math.Min(k, relevant.Count)).Sum(r => 1.0 / Math.Log2(r + 2));
        return ((double)hits / relevant.Count, dcg / ideal);
    }

    private static int[] Known(ItemCatalog catalog, string[] ids) =>
        [.. ids.Select(id => catalog.TryGetIndex(id, out var index) ? index : 0).Where(i => i > 0)];
}
