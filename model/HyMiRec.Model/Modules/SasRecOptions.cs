namespace HyMiRec.Model.Modules;

/// <summary>
/// SASRec sizes. Defaults follow the strong sampled-softmax setting of the HSTU repository's SASRec baseline
/// (2 blocks, 1 head, dropout 0.2, length 200, cosine logits with temperature 0.05) with a 64-wide embedding.
/// </summary>
public sealed record SasRecOptions
{
    public int Dimension { get; init; } = 64;

    public int Blocks { get; init; } = 2;

    public int Heads { get; init; } = 1;

    public int MaxLength { get; init; } = 200;

    /// <summary>
    /// Newest events of a history read when the model scores (validation, test); null reads <see cref="MaxLength"/>,
    /// and more than that reads <see cref="MaxLength"/> too, since there are no positions beyond it. Training is
    /// unchanged, so a smaller value measures what the older events add to a trained model's ranking.
    /// </summary>
    public int? MaxHistory { get; init; }

    /// <summary>Events a scored history is cut to.</summary>
    public int ScoreLength => Math.Min(MaxLength, MaxHistory ?? MaxLength);

    public double Dropout { get; init; } = 0.2;

    /// <summary>
    /// Standard deviation of the item embeddings at initialisation; null for 1/sqrt(Dimension). Logits are cosines, so
    /// Adam's fixed-size steps turn an embedding's direction by about learning rate / its norm: smaller initial
    /// embeddings learn faster. The default, 0.02, is the HSTU repository's SASRec setting (docs/benchmarks.md, ML-1M).
    /// </summary>
    public double? ItemInitStd { get; init; } = 0.02;

    /// <summary>Feed-forward width as a multiple of <see cref="Dimension"/>.</summary>
    public int FeedForwardMultiplier { get; init; } = 1;

    public void Validate()
    {
        OptionValueException.Require(MaxHistory is null or >= 1, "SASRec options", nameof(MaxHistory), "must be at least 1: the newest events of a history the model reads");
        OptionValueException.Require(MaxLength >= 1, "SASRec options", nameof(MaxLength), "must be at least 1: the newest events a sequence keeps");
        if (Dimension <= 0 || Blocks <= 0 || Heads <= 0 || FeedForwardMultiplier <= 0)
        {
            throw new ArgumentException("SASRec sizes must be positive");
        }

        if (Dimension % Heads != 0)
        {
            throw new ArgumentException($"SASRec dimension {Dimension} must be divisible by heads {Heads}");
        }

        OptionValueException.Require(Dropout is >= 0 and < 1, "SASRec options", nameof(Dropout), "must be in [0, 1): a dropout probability");
        OptionValueException.Require(ItemInitStd is null or > 0, "SASRec options", nameof(ItemInitStd),
            "must be positive: a standard deviation (unset: 1/sqrt(Dimension))");
    }
}
