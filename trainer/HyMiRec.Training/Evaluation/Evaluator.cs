using HyMiRec.Model.Data;
using HyMiRec.Model.Metrics;
using HyMiRec.Training.Training;
using static TorchSharp.torch;

namespace HyMiRec.Training.Evaluation;

/// <summary>Full-ranking evaluation of a recommender on leave-one-out cases.</summary>
public static class Evaluator
{
    public static readonly int[] DefaultKs = [10, 50, 200];

    /// <summary>
    /// Score matrices are kept under this many elements (16 MB of floats): larger ones are allocated and zeroed by the
    /// kernel on every batch (glibc maps blocks over 32 MB afresh), which made ranking 100,000 users over 50,000 items
    /// mostly system time.
    /// </summary>
    public const long MaxScoreElements = 4_000_000;

    /// <summary>
    /// Ranks every case's target among all items, batch by batch (chunked full ranking: at most
    /// <paramref name="batchSize"/> users, and at most <see cref="MaxScoreElements"/> scores, at a time).
    /// </summary>
    public static Dictionary<string, double> Evaluate(IRecommender model, IReadOnlyList<EvalCase> cases, bool excludeHistory, int batchSize = 256)
    {
        var metrics = new RankingMetrics(DefaultKs);
        var size = batchSize;
        for (var start = 0; start < cases.Count;)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var batch = cases.Skip(start).Take(size).ToArray();
            var inputs = batch.Select(c => c.Input).ToArray();
            var scores = model.Score(inputs); // [b, N+1]
            metrics.AddBatch(scores, batch.Select(c => c.Target).ToArray(), excludeHistory ? inputs : null);
            start += batch.Length;
            size = (int)Math.Clamp(MaxScoreElements / Math.Max(1, scores.shape[1]), 1, batchSize);
        }

        return metrics.Result().ToDictionary();
    }
}
