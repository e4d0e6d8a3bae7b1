namespace HyMiRec.Trainer.Training;

/// <summary>HyMiRec-specific optimisation settings on top of <see cref="TrainingOptions"/>.</summary>
public sealed record HyMiRecTrainingOptions
{
    /// <summary>Newest items of each training sequence used per step (the whole sequence feeds both recommenders).</summary>
    public int SequenceLength { get; init; } = 128;

    /// <summary>Cut points (samples) drawn per sequence and step; each yields one set of interests.</summary>
    public int CutsPerSequence { get; init; } = 12;

    /// <summary>Share of the epochs (or of the time budget) spent in Stage 1, before the codebook is built.</summary>
    public double StageOneShare { get; init; } = 0.35;

    /// <summary>Item texts per forward pass of a pretrained text model (bounds its activation memory).</summary>
    public int TextFeatureBatch { get; init; } = 16;
}
