using System.Globalization;
using HyMiRec.Model.Data;
using HyMiRec.Training.Evaluation;
using static TorchSharp.torch;

namespace HyMiRec.Training.Training;

/// <summary>
/// The validations that pick a neural model's kept weights, one procedure for every trainer: the validation sample is
/// ranked with the weights under judgement (their moving average, where one is kept), the best of them are copied,
/// and the plateau says when to stop. The copy is taken while the judged weights are loaded, so the weights kept are
/// the weights that scored.
/// </summary>
internal sealed class WeightSelection(IRecommender model, nn.Module network, LeaveOneOutSplit split, TrainingOptions training) : IDisposable
{
    private readonly ValidationPlateau _plateau = new(training);
    private readonly BestWeights _best = new();
    private readonly IReadOnlyList<EvalCase> _cases = ValidationSample.Take(split.Validation, training.ValidationUsers, training.Seed);

    /// <summary>The best validation NDCG@10 so far; null before the first judged validation.</summary>
    public double? Best => _plateau.HasBest ? _plateau.Best : null;

    /// <summary>
    /// Validates the weights <paramref name="average"/> holds (the live weights without one), keeps them when they are
    /// the best so far, and says whether training has reached its plateau.
    /// </summary>
    public (double Score, bool Plateau) Judge(WeightAverage? average, int epoch, ITrainingReporter reporter)
    {
        using var judged = average?.Apply();
        var score = Validate(epoch, reporter);
        if (_plateau.Improved(score))
        {
            _best.Capture(network);
            return (score, false);
        }

        return (score, _plateau.Reached(epoch));
    }

    /// <summary>Validation NDCG@10 of the live weights, recorded nowhere (Stage 1 scores its own plateau with it).</summary>
    public double Validate(int epoch, ITrainingReporter reporter)
    {
        var score = Evaluator.Evaluate(model, _cases, excludeHistory: training.ValidationExcludesHistory)["ndcg@10"];
        TestTrace.Log(model, split, training, reporter, epoch, score);
        return score;
    }

    public string EarlyStop(int epoch) => string.Create(CultureInfo.InvariantCulture,
        $"early stop at epoch {epoch}, best val ndcg@10 {_plateau.Best:F4}");

    public string BudgetStop(int epoch) => string.Create(CultureInfo.InvariantCulture,
        $"stopped by the time budget {training.TimeBudget:g} at epoch {epoch}; keeping the ") +
        (Best is { } best ? string.Create(CultureInfo.InvariantCulture, $"best validated weights (val ndcg@10 {best:F4})") : "last weights (no validation yet)");

    /// <summary>Loads the best weights into the network, if any validation was judged.</summary>
    public void Restore() => _best.Restore(network);

    public void Dispose() => _best.Dispose();
}
