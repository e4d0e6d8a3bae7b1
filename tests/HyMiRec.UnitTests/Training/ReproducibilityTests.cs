using HyMiRec.Model.Data;
using HyMiRec.Model.Interests;
using HyMiRec.Model.Modules;
using HyMiRec.Training.Evaluation;
using HyMiRec.Training.Training;

namespace HyMiRec.UnitTests.Training;

/// <summary>Same seed, same host, same thread count: bit-identical scores and metrics (docs/benchmarks.md, Reproducibility).</summary>
public sealed class ReproducibilityTests
{
    private static readonly LeaveOneOutSplit Split = TinyTraining.Split;

    private static readonly HyMiRecOptions TinyHyMiRec = TinyTraining.HyMiRec;

    private static readonly TrainingOptions Training = new() { Epochs = 3, BatchSize = 16, Negatives = 16, EvaluateEvery = 1, Patience = 5 };

    [Fact]
    public void HyMiRec_trained_twice_with_one_seed_scores_identically_and_another_seed_differs()
    {
        var first = HyMiRecScores(seed: 11);
        AssertSame(first, HyMiRecScores(seed: 11));
        Assert.NotEqual(first.Scores, HyMiRecScores(seed: 12).Scores);
    }

    [Fact]
    public void SasRec_trained_twice_with_one_seed_scores_identically()
    {
        var options = new SasRecOptions { Dimension = 16, Blocks = 1, MaxLength = 20 };
        (float[], string) Run()
        {
            using var model = new SasRecRecommender(options, Training with { Seed = 11 });
            model.Fit(Split, new SilentTrainingReporter());
            return Outcome(model);
        }

        AssertSame(Run(), Run());
    }

    private static (float[] Scores, string Metrics) HyMiRecScores(int seed)
    {
        using var model = new HyMiRecRecommender("hymirec", TinyHyMiRec, Training with { Seed = seed },
            new HyMiRecTrainingOptions { SequenceLength = 20, CutsPerSequence = 4 });
        model.Fit(Split, new SilentTrainingReporter());
        return Outcome(model);
    }

    private static void AssertSame((float[] Scores, string Metrics) expected, (float[] Scores, string Metrics) actual)
    {
        Assert.Equal(expected.Scores, actual.Scores);
        Assert.Equal(expected.Metrics, actual.Metrics);
    }

    /// <summary>Every test user's full score row and all metrics at full precision ("R" round-trips doubles).</summary>
    private static (float[] Scores, string Metrics) Outcome(IRecommender model)
    {
        using var scores = model.Score(Split.Test.Select(c => c.Input).ToArray());
        var metrics = Evaluator.Evaluate(model, Split.Test, excludeHistory: true);
        return (scores.data<float>().ToArray(),
            string.Join(", ", metrics.Select(kv => $"{kv.Key}={kv.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}")));
    }
}
