using System.Globalization;
using HyMiRec.Model.Data;
using HyMiRec.Training.Evaluation;

namespace HyMiRec.Training.Training;

/// <summary>
/// A diagnostic for the validation protocol (--trace-test): beside each validation, the weights validation judged
/// are also ranked on the test cases and the figures logged. Nothing reads them back, so no choice (kept weights,
/// early stop, Stage 1's end) can depend on the test set; they show whether validation and test peak at the same
/// epoch and how far apart they sit while training runs.
/// </summary>
internal static class TestTrace
{
    public static void Log(IRecommender model, LeaveOneOutSplit split, TrainingOptions training, ITrainingReporter reporter, int epoch, double validation)
    {
        if (!training.TraceTest)
        {
            return;
        }

        var test = Evaluator.Evaluate(model, split.Test, excludeHistory: training.ValidationExcludesHistory);
        reporter.Message(model.Name, string.Create(CultureInfo.InvariantCulture,
            $"trace epoch {epoch}: val ndcg@10 {validation:F4}, test ndcg@10 {test["ndcg@10"]:F4}, test recall@10 {test["recall@10"]:F4} (diagnostic only)"));
    }
}
