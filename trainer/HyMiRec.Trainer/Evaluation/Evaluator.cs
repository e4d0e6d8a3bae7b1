using HyMiRec.Model.Data;
using HyMiRec.Model.Metrics;
using HyMiRec.Trainer.Training;
using static TorchSharp.torch;

namespace HyMiRec.Trainer.Evaluation;

/// <summary>Full-ranking evaluation of a recommender on leave-one-out cases.</summary>
public static class Evaluator
{
    public static readonly int[] DefaultKs = [10, 50, 200];

    public static Dictionary<string, double> Evaluate(IRecommender model, IReadOnlyList<EvalCase> cases, bool excludeHistory, int batchSize = 256)
    {
        var metrics = new RankingMetrics(DefaultKs);
        for (var start = 0; start < cases.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var batch = cases.Skip(start).Take(batchSize).ToArray();
            var inputs = batch.Select(c => c.Input).ToArray();
            var scores = model.Score(inputs);
            metrics.AddBatch(scores, batch.Select(c => c.Target).ToArray(), excludeHistory ? inputs : null);
        }

        return metrics.Result().ToDictionary();
    }
}
