namespace HyMiRec.Model.Losses;

/// <summary>
/// Spherical k-means over a handful of target embeddings (DMIL's future window): groups by cosine, deterministic
/// farthest-point start so equal inputs give equal groups.
/// </summary>
public static class TargetClustering
{
    /// <param name="vectors">Row-major [count, dimension], rows L2-normalised.</param>
    /// <returns>Group of each row (0..groups-1, every group non-empty) and the normalised centroids [groups, dimension].</returns>
    public static (int[] Assignment, float[] Centroids) Cluster(ReadOnlySpan<float> vectors, int count, int dimension, int groups, int iterations = 5)
    {
        if (groups < 1 || groups > count)
        {
            throw new ArgumentException($"cannot form {groups} groups from {count} targets");
        }

        var centroids = new float[groups * dimension];
        var chosen = new List<int> { 0 };
        while (chosen.Count < groups)
        {
            var farthest = -1;
            var farthestSimilarity = double.PositiveInfinity;
            for (var i = 0; i < count; i++)
            {
                if (chosen.Contains(i))
                {
                    continue;
                }

                var best = float.NegativeInfinity;
                foreach (var c in chosen)
                {
                    best = Math.Max(best, Dot(vectors, i, vectors, c, dimension));
                }

                if (best < farthestSimilarity)
                {
                    farthestSimilarity = best;
                    farthest = i;
                }
            }

            chosen.Add(farthest);
        }

        for (var g = 0; g < groups; g++)
        {
            vectors.Slice(chosen[g] * dimension, dimension).CopyTo(centroids.AsSpan(g * dimension));
        }

        var assignment = new int[count];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            for (var i = 0; i < count; i++)
            {
                var best = 0;
                for (var g = 1; g < groups; g++)
                {
                    if (Dot(vectors, i, centroids, g, dimension) > Dot(vectors, i, centroids, best, dimension))
                    {
                        best = g;
                    }
                }

                assignment[i] = best;
            }

            // A group left empty keeps its seed row so that every group stays a real target.
            for (var g = 0; g < groups; g++)
            {
                if (!assignment.Contains(g))
                {
                    assignment[chosen[g]] = g;
                }
            }

            Array.Clear(centroids);
            for (var i = 0; i < count; i++)
            {
                for (var d = 0; d < dimension; d++)
                {
                    centroids[(assignment[i] * dimension) + d] += vectors[(i * dimension) + d];
                }
            }

            for (var g = 0; g < groups; g++)
            {
                var row = centroids.AsSpan(g * dimension, dimension);
                var norm = MathF.Sqrt(Dot(row, row));
                for (var d = 0; d < dimension; d++)
                {
                    row[d] /= Math.Max(norm, 1e-12f);
                }
            }
        }

        return (assignment, centroids);
    }

    private static float Dot(ReadOnlySpan<float> a, int i, ReadOnlySpan<float> b, int j, int dimension) =>
        Dot(a.Slice(i * dimension, dimension), b.Slice(j * dimension, dimension));

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0f;
        for (var d = 0; d < a.Length; d++)
        {
            sum += a[d] * b[d];
        }

        return sum;
    }
}
