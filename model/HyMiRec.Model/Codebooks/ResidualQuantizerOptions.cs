namespace HyMiRec.Model.Codebooks;

/// <summary>Training settings shared by the cosine codebook and the Euclidean residual quantiser.</summary>
public sealed record ResidualQuantizerOptions
{
    public int Layers { get; init; } = 3;

    public int Codes { get; init; } = 256;

    public int Iterations { get; init; } = 15;

    public int Seed { get; init; } = 42;

    public KMeansInit Init { get; init; } = KMeansInit.PlusPlus;

    public int CandidatesPerItem { get; init; } = 8;

    public int ChunkRows { get; init; } = 8192;

    internal BalancedKMeansOptions ForLayer(int layer, KMeansMetric metric)
    {
        if (Layers < 1 || Codes is < 1 or > 65536)
        {
            throw new ArgumentException($"invalid quantiser options: {this}");
        }

        // A different seed per layer keeps layers from starting on correlated rows.
        return new BalancedKMeansOptions
        {
            Clusters = Codes,
            Iterations = Iterations,
            Seed = Seed + (7919 * layer),
            Metric = metric,
            Init = Init,
            CandidatesPerItem = CandidatesPerItem,
            ChunkRows = ChunkRows,
        };
    }
}
