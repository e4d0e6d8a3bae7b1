using static TorchSharp.torch;

namespace HyMiRec.Model.Codebooks;

/// <summary>Centroids [K, D] (float32) and the balanced assignment of every input row that produced them.</summary>
public sealed record BalancedKMeansResult(Tensor Centroids, int[] Assignments, int[] ClusterSizes, int Capacity);

/// <summary>
/// K-means whose clusters all hold at most <c>capacity = ceil(N / K)</c> rows, so codes are used evenly.
/// <para>
/// Balancing: every row is scored against all centroids (chunk by chunk) and keeps its top-m centroids. Rows are
/// then visited in order of decreasing best score, so confident rows choose first; each row takes its most similar
/// candidate that still has room. Rows whose m candidates are all full are re-scored against the centroids that
/// still have room (full ones masked to -inf), with m widened fourfold, and the greedy pass repeats on them. Once m
/// reaches K a round leaves nobody behind (K * capacity >= N), so after a few rounds every row is assigned and no
/// cluster is above capacity.
/// </para>
/// <para>
/// Update: cosine centroids are the normalised mean of their members (spherical k-means), Euclidean ones the plain
/// mean. A cluster left empty is re-seeded from the worst-fitting row, which is where the codebook is weakest.
/// </para>
/// </summary>
public static class BalancedKMeans
{
    /// <param name="rows">[N, D] float32; for <see cref="KMeansMetric.Cosine"/> the rows must be L2-normalised.</param>
    public static BalancedKMeansResult Fit(Tensor rows, BalancedKMeansOptions options)
    {
        options.Validate(rows.shape[0]);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = rows.to_type(ScalarType.Float32).contiguous();
        var n = (int)x.shape[0];
        var capacity = (int)Math.Ceiling(n / (double)options.Clusters);
        var generator = new Generator((ulong)options.Seed);
        var centroids = options.Init == KMeansInit.PlusPlus
            ? SeedPlusPlus(x, options, generator)
            : x.index_select(0, randperm(n, generator: generator).narrow(0, 0, options.Clusters)).clone();

        int[]? previous = null;
        for (var iteration = 0; iteration < options.Iterations; iteration++)
        {
            var (assignments, fit) = AssignBalanced(x, centroids, options, capacity);
            if (previous is not null && assignments.AsSpan().SequenceEqual(previous))
            {
                break;
            }

            centroids = UpdateCentroids(x, assignments, fit, options);
            previous = assignments;
        }

        // Assign once more so the returned assignment belongs to the returned centroids.
        var (final, _) = AssignBalanced(x, centroids, options, capacity);
        var sizes = new int[options.Clusters];
        foreach (var c in final)
        {
            sizes[c]++;
        }

        return new BalancedKMeansResult(centroids.MoveToOuterDisposeScope(), final, sizes, capacity);
    }

    /// <summary>Scores where larger is better for both metrics: cosine, or minus the squared distance.</summary>
    internal static Tensor Scores(Tensor rows, Tensor centroids, KMeansMetric metric)
    {
        var dot = rows.matmul(centroids.t());
        if (metric == KMeansMetric.Cosine)
        {
            return dot;
        }

        var rowSq = rows.square().sum(1, keepdim: true);
        var centroidSq = centroids.square().sum(1).unsqueeze(0);
        return dot.mul_(2).sub_(rowSq).sub_(centroidSq);
    }

    private static Tensor SeedPlusPlus(Tensor x, BalancedKMeansOptions options, Generator generator)
    {
        var n = x.shape[0];
        var rowSq = x.square().sum(1);
        var picked = new long[options.Clusters];
        picked[0] = randint(0, n, [1], generator: generator).item<long>();
        Tensor? nearest = null;
        for (var k = 1; k < options.Clusters; k++)
        {
            using var inner = NewDisposeScope();
            var c = x[picked[k - 1]];
            var dot = x.matmul(c);

            // Cosine distance 1 - cos is half the squared chord length, so both metrics sample by squared distance.
            var distance = options.Metric == KMeansMetric.Cosine
                ? dot.neg().add_(Modules.Scalars.One)
                : rowSq.sub(dot.mul(Modules.Scalars.Two)).add_(c.square().sum());
            distance = distance.clamp_min_(Modules.Scalars.Zero);
            var next = nearest is null ? distance : minimum(nearest, distance);
            nearest?.Dispose();
            nearest = next.MoveToOuterDisposeScope();

            // All rows identical to a seed (duplicates): fall back to a uniform draw.
            var weights = nearest.sum().item<float>() > 0 ? nearest : ones_like(nearest);
            picked[k] = multinomial(weights, 1, generator: generator).item<long>();
        }

        nearest?.Dispose();
        return x.index_select(0, tensor(picked)).clone();
    }

    private static (int[] Assignments, float[] Fit) AssignBalanced(
        Tensor x, Tensor centroids, BalancedKMeansOptions options, int capacity)
    {
        var n = (int)x.shape[0];
        var k = options.Clusters;
        var m = Math.Min(options.CandidatesPerItem, k);
        var assignments = new int[n];
        var fit = new float[n];
        var sizes = new int[k];
        var pending = Enumerable.Range(0, n).ToArray();
        Tensor? mask = null;
        while (pending.Length > 0)
        {
            var (candidates, scores) = TopCandidates(x, pending, centroids, mask, m, options);
            var order = Enumerable.Range(0, pending.Length).ToArray();
            var keys = new float[pending.Length];
            for (var p = 0; p < pending.Length; p++)
            {
                keys[p] = -scores[p * m];
            }

            Array.Sort(keys, order);
            var left = new List<int>();
            foreach (var p in order)
            {
                if (!TryPlace(pending[p], p * m, m, candidates, scores, sizes, capacity, assignments, fit))
                {
                    left.Add(pending[p]);
                }
            }

            pending = [.. left];

            // Widen the candidate lists each round: rows left over sit where centroids are crowded, and with all K
            // candidates a round cannot leave anyone behind, so there are at most about log4(K / m) + 2 rounds.
            m = Math.Min(k, m * 4);
            var full = new float[k];
            for (var c = 0; c < k; c++)
            {
                full[c] = sizes[c] >= capacity ? float.NegativeInfinity : 0f;
            }

            mask?.Dispose();
            mask = tensor(full).unsqueeze(0);
        }

        mask?.Dispose();
        return (assignments, fit);
    }

    private static bool TryPlace(
        int item, int offset, int m, int[] candidates, float[] scores, int[] sizes, int capacity, int[] assignments, float[] fit)
    {
        for (var j = offset; j < offset + m && !float.IsNegativeInfinity(scores[j]); j++)
        {
            var c = candidates[j];
            if (sizes[c] < capacity)
            {
                sizes[c]++;
                assignments[item] = c;
                fit[item] = scores[j];
                return true;
            }
        }

        return false;
    }

    private static (int[] Candidates, float[] Scores) TopCandidates(
        Tensor x, int[] rows, Tensor centroids, Tensor? mask, int m, BalancedKMeansOptions options)
    {
        var candidates = new int[rows.Length * m];
        var scores = new float[rows.Length * m];
        for (var start = 0; start < rows.Length; start += options.ChunkRows)
        {
            using var inner = NewDisposeScope();
            var count = Math.Min(options.ChunkRows, rows.Length - start);
            var index = tensor(rows.AsSpan(start, count).ToArray().Select(r => (long)r).ToArray());
            var s = Scores(x.index_select(0, index), centroids, options.Metric);
            if (mask is not null)
            {
                s.add_(mask);
            }

            var (values, indices) = s.topk(m, dim: 1);
            Array.Copy(values.data<float>().ToArray(), 0, scores, start * m, count * m);
            Array.Copy(indices.to_type(ScalarType.Int32).data<int>().ToArray(), 0, candidates, start * m, count * m);
        }

        return (candidates, scores);
    }

    private static Tensor UpdateCentroids(Tensor x, int[] assignments, float[] fit, BalancedKMeansOptions options)
    {
        var k = options.Clusters;
        var index = tensor(assignments.Select(a => (long)a).ToArray());
        var sums = zeros(k, x.shape[1]).index_add_(0, index, x, 1);
        var counts = bincount(index, minlength: k).to_type(ScalarType.Float32);
        var centroids = options.Metric == KMeansMetric.Cosine
            ? nn.functional.normalize(sums, dim: 1)
            : sums.div(counts.clamp_min(Modules.Scalars.One).unsqueeze(1));

        var empty = counts.data<float>().ToArray().Select((count, c) => (count, c)).Where(t => t.count == 0).Select(t => t.c).ToArray();
        if (empty.Length > 0)
        {
            var worst = Enumerable.Range(0, fit.Length).OrderBy(i => fit[i]).Take(empty.Length).ToArray();
            for (var e = 0; e < empty.Length; e++)
            {
                var row = x[worst[e]];
                centroids[empty[e]] = options.Metric == KMeansMetric.Cosine ? nn.functional.normalize(row, dim: 0) : row;
            }
        }

        return centroids;
    }
}
