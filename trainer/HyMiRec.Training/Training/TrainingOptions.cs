using HyMiRec.Model;

namespace HyMiRec.Training.Training;

/// <summary>Optimisation settings shared by the neural models of the benchmark.</summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 200;

    public int BatchSize { get; init; } = 128;

    public double LearningRate { get; init; } = 1e-3;

    public double WeightDecay { get; init; }

    /// <summary>Sampled negatives per batch; at least the catalog size means full softmax.</summary>
    public int Negatives { get; init; } = 128;

    /// <summary>Whether the batch shares one set of negatives or each training sequence draws its own (see <see cref="NegativeSampling"/>).</summary>
    public NegativeSampling NegativeSampling { get; init; } = NegativeSampling.Batch;

    /// <summary>
    /// Validation during training ranks at most this many users (a seeded sample of the validation cases; all of them
    /// when there are fewer). The test evaluation always ranks every user.
    /// </summary>
    public int ValidationUsers { get; init; } = 10_000;

    /// <summary>
    /// Whether validation during training ranks the user's own input items too. It must follow the test protocol:
    /// where test keeps history (planted users revisit their topics' items), a validation that excludes it cannot see
    /// the next item most of the time and picks the kept weights and the stopping epoch at random.
    /// </summary>
    public bool ValidationExcludesHistory { get; init; } = true;

    /// <summary>Rank the test cases beside each validation and log them (<see cref="TestTrace"/>); a diagnostic, never read back.</summary>
    public bool TraceTest { get; init; }

    /// <summary>The temperature both models train with (SASRec's setting in the HSTU repository).</summary>
    public const double DefaultTemperature = 0.05;

    /// <summary>Cosine logits over this temperature; null for raw dot products.</summary>
    public double? Temperature { get; init; } = DefaultTemperature;

    /// <summary>Validate every this many epochs; stop after <see cref="Patience"/> validations without gain.</summary>
    public int EvaluateEvery { get; init; } = 5;

    public int Patience { get; init; } = 4;

    /// <summary>
    /// Early stopping never ends training before this epoch: a flat start (validation near chance for the first
    /// epochs, as SASRec showed on ML-1M) must not use up the patience.
    /// </summary>
    public int MinEpochs { get; init; } = 20;

    /// <summary>Stop (after a final validation) once training has run this long; null for no limit.</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>
    /// Time constant, in epochs, of the moving average of the weights that validation judges and training keeps (see
    /// <see cref="WeightAverage"/>); 0 judges and keeps the live weights.
    /// </summary>
    public double AverageEpochs { get; init; }

    public int Seed { get; init; } = 42;

    /// <summary>The clock that <see cref="TimeBudget"/> is measured on (tests pass a fake one).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// Each range rule of these options, written once: callers that build the options in code get it before a model
    /// is built or a batch is drawn, and the CLI reports it under the flag that set the property
    /// (<see cref="OptionValueException"/>). A learning rate of 0 and a zero budget stay legal: tests use them to
    /// freeze or stop.
    /// </summary>
    public void Validate()
    {
        Require(Epochs >= 1, nameof(Epochs), "must be at least 1");
        Require(BatchSize >= 1, nameof(BatchSize), "must be at least 1");
        Require(Negatives >= 1, nameof(Negatives), "must be at least 1 (at least the catalog size: full softmax)");
        Require(ValidationUsers >= 1, nameof(ValidationUsers), "must be at least 1");
        Require(double.IsFinite(LearningRate) && LearningRate >= 0, nameof(LearningRate), "must be finite and not negative");
        Require(double.IsFinite(WeightDecay) && WeightDecay >= 0, nameof(WeightDecay), "must be finite and not negative: a decay rate (0 turns it off)");
        Require(Temperature is null || (double.IsFinite(Temperature.Value) && Temperature > 0), nameof(Temperature),
            "must be finite and positive: logits are divided by it");
        Require(EvaluateEvery >= 1, nameof(EvaluateEvery), "must be at least 1 (epochs between validations)");
        Require(Patience >= 1, nameof(Patience), "must be at least 1");
        Require(MinEpochs >= 0, nameof(MinEpochs), "cannot be negative");
        Require(TimeBudget is null || TimeBudget >= TimeSpan.Zero, nameof(TimeBudget), "cannot be negative");
        Require(double.IsFinite(AverageEpochs) && AverageEpochs >= 0, nameof(AverageEpochs),
            "must be finite and not negative: a time constant (0 keeps the live weights)");
    }

    private static void Require(bool valid, string property, string rule) => OptionValueException.Require(valid, "training options", property, rule);
}

/// <summary>How sampled negatives are shared.</summary>
public enum NegativeSampling
{
    /// <summary>One set of K uniform negatives for every query of the batch.</summary>
    Batch,

    /// <summary>K uniform negatives per training sequence, shared by the positions of that sequence (B x K per step).</summary>
    Sequence,
}
