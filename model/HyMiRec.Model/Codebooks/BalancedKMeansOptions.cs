namespace HyMiRec.Model.Codebooks;

/// <summary>How similarity between a row and a centroid is measured.</summary>
public enum KMeansMetric
{
    /// <summary>Spherical k-means: dot product of L2-normalised rows and unit centroids.</summary>
    Cosine,

    /// <summary>Classic k-means: negative squared Euclidean distance, centroids are plain means.</summary>
    Euclidean,
}

/// <summary>How the first centroids are picked.</summary>
public enum KMeansInit
{
    /// <summary>k-means++: each next seed is drawn with probability proportional to its distance to the nearest seed.</summary>
    PlusPlus,

    /// <summary>K distinct random rows.</summary>
    RandomRows,
}

public sealed record BalancedKMeansOptions
{
    public required int Clusters { get; init; }

    public int Iterations { get; init; } = 15;

    public int Seed { get; init; } = 42;

    public KMeansMetric Metric { get; init; } = KMeansMetric.Cosine;

    public KMeansInit Init { get; init; } = KMeansInit.PlusPlus;

    /// <summary>
    /// Nearest centroids remembered per item for the greedy balanced pass. Items whose candidates are all full go
    /// to a further round against the remaining centroids, so a small value is safe; it only trades speed.
    /// </summary>
    public int CandidatesPerItem { get; init; } = 8;

    /// <summary>Rows scored at once, so N x K scores never exist as one matrix (1M x 256 stays bounded).</summary>
    public int ChunkRows { get; init; } = 8192;

    internal void Validate(long rows)
    {
        if (Clusters < 1 || Iterations < 0 || CandidatesPerItem < 1 || ChunkRows < 1)
        {
            throw new ArgumentException($"invalid k-means options: {this}");
        }

        if (rows < Clusters)
        {
            throw new ArgumentException($"k-means needs at least as many rows as clusters ({rows} rows, {Clusters} clusters)");
        }
    }
}
