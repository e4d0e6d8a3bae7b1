using System.Globalization;

namespace HyMiRec.Model.Metrics;

/// <summary>Mean Recall@K and NDCG@K over <see cref="Count"/> cases, keyed by K.</summary>
public sealed record RankingResult(int Count, IReadOnlyDictionary<int, double> Recall, IReadOnlyDictionary<int, double> Ndcg)
{
    /// <summary>Flat view with keys "recall@10", "ndcg@10", ... in ascending K, recall before NDCG per K.</summary>
    public Dictionary<string, double> ToDictionary()
    {
        var values = new Dictionary<string, double>();
        foreach (var k in Recall.Keys.Order())
        {
            values[string.Create(CultureInfo.InvariantCulture, $"recall@{k}")] = Recall[k];
            values[string.Create(CultureInfo.InvariantCulture, $"ndcg@{k}")] = Ndcg[k];
        }

        return values;
    }

    public override string ToString() =>
        string.Join(", ", ToDictionary().Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value:F4}")));
}
