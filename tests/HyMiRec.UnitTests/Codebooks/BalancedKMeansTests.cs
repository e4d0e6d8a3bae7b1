using HyMiRec.Model.Codebooks;
using static TorchSharp.torch;

namespace HyMiRec.UnitTests.Codebooks;

public sealed class BalancedKMeansTests
{
    [Theory]
    [InlineData(KMeansMetric.Cosine, KMeansInit.PlusPlus)]
    [InlineData(KMeansMetric.Euclidean, KMeansInit.PlusPlus)]
    [InlineData(KMeansMetric.Cosine, KMeansInit.RandomRows)]
    public void Clusters_never_exceed_capacity_and_every_row_is_assigned(KMeansMetric metric, KMeansInit init)
    {
        using var scope = NewDisposeScope();
        var rows = SkewedRows(1003, 8, seed: 3);
        var result = BalancedKMeans.Fit(rows, new BalancedKMeansOptions
        {
            Clusters = 16, Iterations = 8, Seed = 5, Metric = metric, Init = init, CandidatesPerItem = 2, ChunkRows = 100,
        });

        Assert.Equal(63, result.Capacity);
        Assert.Equal(1003, result.Assignments.Length);
        Assert.All(result.Assignments, a => Assert.InRange(a, 0, 15));
        Assert.All(result.ClusterSizes, s => Assert.InRange(s, 0, 63));
        Assert.Equal(1003, result.ClusterSizes.Sum());

        // The skew makes the capacity bind, so the greedy pass and its fallback rounds are exercised.
        Assert.Contains(63, result.ClusterSizes);
        for (var c = 0; c < 16; c++)
        {
            Assert.Equal(result.ClusterSizes[c], result.Assignments.Count(a => a == c));
        }
    }

    [Fact]
    public void Cosine_centroids_are_unit_vectors_and_runs_are_deterministic()
    {
        using var scope = NewDisposeScope();
        var rows = SkewedRows(400, 8, seed: 4);
        var options = new BalancedKMeansOptions { Clusters = 8, Iterations = 5, Seed = 9 };
        var first = BalancedKMeans.Fit(rows, options);
        var second = BalancedKMeans.Fit(rows, options);

        Assert.Equal(first.Assignments, second.Assignments);
        var norms = first.Centroids.norm(1).data<float>().ToArray();
        Assert.All(norms, n => Assert.InRange(n, 0.999f, 1.001f));
    }

    [Fact]
    public void Rejects_fewer_rows_than_clusters()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => BalancedKMeans.Fit(randn(3, 4), new BalancedKMeansOptions { Clusters = 4 }));
    }

    /// <summary>Most rows in one tight blob, so unbalanced k-means would overfill a few clusters.</summary>
    private static Tensor SkewedRows(int n, int d, int seed)
    {
        var generator = new Generator((ulong)seed);
        var rows = randn(n, d, generator: generator);
        rows.narrow(0, 0, n * 3 / 4).mul_(0.05).add_(ones(d));
        return nn.functional.normalize(rows, dim: 1);
    }
}
