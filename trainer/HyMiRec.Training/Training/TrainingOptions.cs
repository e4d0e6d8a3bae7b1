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
    /// The CLI names the flag of a bad value; this catches callers that build the options in code, before a model is
    /// built or a batch is drawn. A learning rate of 0 and a zero budget stay legal: tests use them to freeze or stop.
    /// </summary>
    public void Validate()
    {
        Require(Epochs >= 1 && BatchSize >= 1 && Negatives >= 1 && ValidationUsers >= 1,
            "Epochs, BatchSize, Negatives and ValidationUsers must be positive");
        Require(double.IsFinite(LearningRate) && LearningRate >= 0, "LearningRate must be finite and not negative");
        Require(double.IsFinite(WeightDecay) && WeightDecay >= 0, "WeightDecay must be finite and not negative (0 turns it off)");
        Require(Temperature is null || (double.IsFinite(Temperature.Value) && Temperature > 0),
            "Temperature must be null (raw dot products) or positive: logits are divided by it");
        Require(EvaluateEvery >= 1 && Patience >= 1 && MinEpochs >= 0, "EvaluateEvery and Patience must be positive and MinEpochs not negative");
        Require(TimeBudget is null || TimeBudget >= TimeSpan.Zero, "TimeBudget must be null (no limit) or not negative");
        Require(double.IsFinite(AverageEpochs) && AverageEpochs >= 0, "AverageEpochs must be finite and not negative (0 keeps the live weights)");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"training options: {message}");
        }
    }
}

/// <summary>How sampled negatives are shared.</summary>
public enum NegativeSampling
{
    /// <summary>One set of K uniform negatives for every query of the batch.</summary>
    Batch,

    /// <summary>K uniform negatives per training sequence, shared by the positions of that sequence (B x K per step).</summary>
    Sequence,
}
