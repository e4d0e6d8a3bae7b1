namespace HyMiRec.Trainer.Training;

/// <summary>Optimisation settings shared by the neural models of the benchmark.</summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 200;

    public int BatchSize { get; init; } = 128;

    public double LearningRate { get; init; } = 1e-3;

    public double WeightDecay { get; init; }

    /// <summary>Sampled negatives per batch; at least the catalog size means full softmax.</summary>
    public int Negatives { get; init; } = 128;

    /// <summary>Cosine logits over this temperature; null for raw dot products.</summary>
    public double? Temperature { get; init; } = 0.05;

    /// <summary>Validate every this many epochs; stop after <see cref="Patience"/> validations without gain.</summary>
    public int EvaluateEvery { get; init; } = 5;

    public int Patience { get; init; } = 4;

    /// <summary>Stop (after a final validation) once training has run this long; null for no limit.</summary>
    public TimeSpan? TimeBudget { get; init; }

    public int Seed { get; init; } = 42;
}
