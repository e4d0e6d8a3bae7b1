using HyMiRec.Model.Serving;
using HyMiRec.Training.Benchmark;

namespace HyMiRec.Training.Retraining;

/// <summary>What `trainer retrain` reads, how it trains, and how it decides to publish.</summary>
public sealed record RetrainSettings
{
    public required ReplaySource Source { get; init; }

    public string ClickTopic { get; init; } = "clicks";

    /// <summary>Topic of item events (new items and text changes); null = none.</summary>
    public string? ItemsTopic { get; init; }

    /// <summary>An item catalog file ("id&lt;TAB&gt;text" lines); null = the current version's catalog.</summary>
    public string? CatalogFile { get; init; }

    public required string StoreDirectory { get; init; }

    /// <summary>Initialise from the current version's weights (same architecture) instead of from scratch.</summary>
    public bool WarmStart { get; init; }

    /// <summary>Stage 2 only: keep the current codebook and Stage-1 embeddings (implies <see cref="WarmStart"/>); user codes stay valid.</summary>
    public bool KeepCodebook { get; init; }

    /// <summary>How the candidate is judged against the current version on the holdout (<see cref="PublishGate"/>).</summary>
    public GateSettings Gate { get; init; } = new();

    /// <summary>Publish even when the gate refuses; the manifest records that it was forced.</summary>
    public bool Force { get; init; }

    /// <summary>Architecture when there is no current version: "hymirec" or a variant name (e.g. hymirec-s3).</summary>
    public string Model { get; init; } = "hymirec";

    /// <summary>Architecture override when there is no current version (tests and small deployments use tiny models).</summary>
    public HyMiRec.Model.Interests.HyMiRecOptions? Options { get; init; }

    /// <summary>
    /// LLaMA checkpoint directory for pretrained text features: required when the current version uses them (and must
    /// be the same checkpoint, by fingerprint); with an empty store it makes the first version use them.
    /// </summary>
    public string? TextModel { get; init; }

    public int? Epochs { get; init; }

    public int? BatchSize { get; init; }

    /// <summary>AdamW's decoupled weight decay; null keeps the current version's (its manifest's <see cref="TrainingRecipe.WeightDecayMetric"/>), or the default 0.</summary>
    public double? WeightDecay { get; init; }

    public bool Quick { get; init; }

    public int Seed { get; init; } = 42;

    /// <summary>The training settings of the retrained model, in the form <see cref="ModelCatalog"/> builds its options from.</summary>
    public BenchmarkSettings Training => new() { Data = "kafka", Models = [Model], Quick = Quick, Seed = Seed, Epochs = Epochs, BatchSize = BatchSize, WeightDecay = WeightDecay };

    /// <summary>
    /// <see cref="Training"/> for a retrain of <paramref name="current"/>: it keeps the recipe the current version trained
    /// with (<see cref="TrainingRecipe"/>), as it keeps its architecture; --weight-decay, where given, overrides the
    /// recorded decay. With no current version, the defaults.
    /// </summary>
    public BenchmarkSettings TrainingAfter(ModelManifest? current)
    {
        var kept = TrainingRecipe.Restore(Training, current);
        return WeightDecay is null ? kept : kept with { WeightDecay = WeightDecay };
    }
}
