using HyMiRec.Training.Training;

namespace HyMiRec.Training.Benchmark;

public sealed record BenchmarkSettings
{
    /// <summary>A dataset directory (see <see cref="DatasetSource"/>), or "synthetic" for the planted multi-interest data.</summary>
    public required string Data { get; init; }

    public IReadOnlyList<string> Models { get; init; } = ["popularity", "sasrec"];

    public bool Quick { get; init; }

    /// <summary>Keep the user's own input items in the ranking (default protocol excludes them).</summary>
    public bool KeepHistory { get; init; }

    /// <summary>Log the test metrics beside each validation during training (a diagnostic; see TestTrace).</summary>
    public bool TraceTest { get; init; }

    public int Seed { get; init; } = 42;

    /// <summary>
    /// The seed generated data was made from where it is not <see cref="Seed"/>: a multi-seed run keeps the first
    /// seed's data for every seed (<see cref="BenchmarkRunner.RunSeeds"/>). Null: <see cref="Seed"/>.
    /// </summary>
    public int? DataSeed { get; init; }

    /// <summary>libtorch intra-op threads (see <see cref="Training.TorchThreads"/>); null keeps libtorch's default.</summary>
    public int? Threads { get; init; }

    /// <summary>Overrides the epoch budget of the neural models.</summary>
    public int? Epochs { get; init; }

    /// <summary>Overrides the batch size of the neural models.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Overrides the learning rate of the neural models.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Overrides the softmax temperature of the neural models' cosine logits (default 0.05).</summary>
    public double? Temperature { get; init; }

    /// <summary>Overrides the decoupled (AdamW) weight decay of the neural models (default 0).</summary>
    public double? WeightDecay { get; init; }

    /// <summary>Overrides the neural models' dropout (default 0.2; SasRecOptions.Dropout and HyMiRecOptions.Dropout).</summary>
    public double? Dropout { get; init; }

    /// <summary>Overrides the number of sampled negatives (at least the catalog size: full softmax).</summary>
    public int? Negatives { get; init; }

    /// <summary>Overrides how negatives are shared (SASRec's default: per sequence; HyMiRec's: per batch).</summary>
    public NegativeSampling? NegativeSampling { get; init; }

    /// <summary>Overrides SASRec's sequence length, the newest events it trains on and reads when it scores (see SasRecOptions.MaxLength).</summary>
    public int? SasRecLength { get; init; }

    /// <summary>Overrides SASRec's item embedding initialisation std (see SasRecOptions.ItemInitStd).</summary>
    public double? ItemInitStd { get; init; }

    /// <summary>Overrides HyMiRec's merged next-item loss weight (see HyMiRecTrainingOptions.MergedNextItemWeight).</summary>
    public double? MergedWeight { get; init; }

    /// <summary>Overrides HyMiRec's per-position next-item loss weight (see HyMiRecTrainingOptions.PositionNextItemWeight).</summary>
    public double? PositionWeight { get; init; }

    /// <summary>Overrides whether HyMiRec trains on random crops of long sequences (see HyMiRecTrainingOptions.HistoryCrops).</summary>
    public bool? HistoryCrops { get; init; }

    /// <summary>Overrides HyMiRec's coarse next-item loss weight (see HyMiRecTrainingOptions.CoarseNextItemWeight).</summary>
    public double? CoarseWeight { get; init; }

    /// <summary>Overrides the positions per sequence HyMiRec's coarse next-item loss scores (see HyMiRecTrainingOptions.CoarseNextItemPositions).</summary>
    public int? CoarsePositions { get; init; }

    /// <summary>Overrides what ranks HyMiRec's items at validation and test (see HyMiRecTrainingOptions.Scoring).</summary>
    public InterestScoring? Scoring { get; init; }

    /// <summary>Overrides the newest events of each sequence HyMiRec trains on (see HyMiRecTrainingOptions.SequenceLength).</summary>
    public int? SequenceLength { get; init; }

    /// <summary>Overrides HyMiRec's cut points per sequence and step (see HyMiRecTrainingOptions.CutsPerSequence).</summary>
    public int? CutsPerSequence { get; init; }

    /// <summary>Overrides the newest events of a history the neural models read when they score (see HyMiRecOptions.MaxHistory and SasRecOptions.MaxHistory).</summary>
    public int? MaxHistory { get; init; }

    /// <summary>Fixes HyMiRec's Stage 1 in epochs instead of a share of the budget (see HyMiRecTrainingOptions.StageOneEpochs).</summary>
    public int? StageOneEpochs { get; init; }

    /// <summary>Overrides the time constant (epochs) of the neural models' weight average (see TrainingOptions.AverageEpochs).</summary>
    public double? AverageEpochs { get; init; }

    /// <summary>Overrides how often (in epochs) the neural models validate.</summary>
    public int? EvaluateEvery { get; init; }

    /// <summary>Overrides the wall-clock budget of the neural models (quick mode has 9 minutes).</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>Where to write SASRec's trained item embeddings as .npy (rows 1..N), for `trainer codebook`.</summary>
    public string? ExportEmbeddings { get; init; }

    /// <summary>A LLaMA checkpoint directory: HyMiRec models take their item text features from it (frozen).</summary>
    public string? TextModel { get; init; }
}
