namespace HyMiRec.Training.Retraining;

/// <summary>
/// How `trainer retrain` judges a candidate against the current version (see <see cref="PublishGate"/>). The defaults
/// gate several cutoffs because a retrain that helps the top 10 can still lose users further down, and the minimum
/// holdout and half-width keep a noisy comparison from passing as "not worse".
/// </summary>
public sealed record GateSettings
{
    public static readonly IReadOnlyList<string> DefaultMetrics = ["ndcg@10", "recall@50", "ndcg@50"];

    public IReadOnlyList<string> Metrics { get; init; } = DefaultMetrics;

    /// <summary>The largest drop of a metric's mean (absolute) the gate accepts as noise-level.</summary>
    public double Tolerance { get; init; } = 0.005;

    public double Confidence { get; init; } = 0.95;

    public int Resamples { get; init; } = 2000;

    /// <summary>A confidence interval wider than twice this cannot tell "not worse" from "worse": refuse.</summary>
    public double MaxHalfWidth { get; init; } = 0.02;

    public int MinUsers { get; init; } = 200;

    /// <summary>Seeds the resampling, so the same holdout always gets the same decision.</summary>
    public int Seed { get; init; } = 42;
}
