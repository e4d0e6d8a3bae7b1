using HyMiRec.Model.Interests;
using TorchSharp;
using static TorchSharp.torch;

namespace HyMiRec.Model.Losses;

/// <summary>
/// Disentangled multi-interest learning: the w future targets of a sample are grouped into (at most) s clusters by
/// cosine, the s interests are matched to the cluster centroids (Hungarian: maximal total cosine, one interest per
/// group; or each group its best interest), and each target is scored by InfoNCE against its matched interest with
/// sampled negatives. Grouping and matching are discrete choices made on detached values; gradients flow through the
/// InfoNCE logits only. With <paramref name="mergedWeight"/> &gt; 0 the <see cref="MergedNextItemLoss"/> of each
/// sample's first target is added with that weight, on the same negatives.
/// </summary>
/// <remarks>
/// Given negatives are either one set [K] shared by every sample or one set per group of consecutive samples [G, K]
/// (sample m uses set m / (M / G)); a trainer passes one set per training sequence, whose cut points are consecutive.
/// </remarks>
public sealed class DmilLoss(int itemCount, int negatives, double temperature, InterestMatching matching, double mergedWeight = 0)
{
    private readonly SampledSoftmaxLoss _infoNce = new(itemCount, negatives, temperature);
    private readonly MergedNextItemLoss _merged = new(temperature);
    private readonly Scalar _mergedWeight = mergedWeight; // kept alive by the loss object (see Modules.Scalars)

    /// <summary>Whether the InfoNCE is a full softmax over the catalog (negatives &gt;= items), which needs the full table.</summary>
    public bool IsFullSoftmax => _infoNce.IsFullSoftmax;

    /// <summary>The uniform negatives [G, K] a step will use (one set per group), drawn before its item table is computed.</summary>
    public Tensor SampleNegatives(Generator? generator, long groups = 1) => _infoNce.SampleNegatives(generator, groups);

    /// <param name="interests">[M, s, D] interests of M samples.</param>
    /// <param name="targets">[M, w] future item indices, 0 where the window runs past the sequence.</param>
    /// <param name="itemTable">[N + 1, D] item embeddings.</param>
    public Tensor Compute(Tensor interests, Tensor targets, Tensor itemTable, Generator? generator = null) =>
        Compute(interests, targets, itemTable, generator, null);

    /// <summary>
    /// The same loss with the negatives given: <paramref name="targets"/> and <paramref name="negatives"/> ([K] shared,
    /// or [G, K] per group of samples) are row indices into <paramref name="itemTable"/> (the full table, or a table of
    /// the step's items only, [U, D] with row 0 padding; see <see cref="ItemSubset"/>).
    /// </summary>
    public Tensor Compute(Tensor interests, Tensor targets, Tensor itemTable, Tensor negatives) =>
        Compute(interests, targets, itemTable, null, negatives);

    private Tensor Compute(Tensor interests, Tensor targets, Tensor itemTable, Generator? generator, Tensor? negatives)
    {
        if (mergedWeight <= 0)
        {
            return Dmil(interests, targets, itemTable, generator, negatives);
        }

        // Both terms score against the same negatives (none drawn for a full softmax).
        negatives ??= IsFullSoftmax ? null : SampleNegatives(generator).view(-1); // [K]
        var next = targets.select(1, 0); // [M]
        return Dmil(interests, targets, itemTable, null, negatives) + (_merged.Compute(interests, next, itemTable, negatives) * _mergedWeight);
    }

    private Tensor Dmil(Tensor interests, Tensor targets, Tensor itemTable, Generator? generator, Tensor? negatives)
    {
        var (samples, s, dimension) = ((int)interests.shape[0], (int)interests.shape[1], (int)interests.shape[2]);
        var window = (int)targets.shape[1];
        var targetIds = targets.contiguous().data<long>().ToArray();
        var targetVectors = nn.functional.normalize(itemTable.detach().index_select(0, targets.reshape(-1)), dim: -1)
            .contiguous().data<float>().ToArray(); // [M*w, D]
        var interestVectors = nn.functional.normalize(interests.detach(), dim: -1).contiguous().data<float>().ToArray(); // [M*s, D]

        // One slot per (sample, target position): the interest row that scores it, and its item (0: no target).
        var rows = new long[samples * window];
        var positives = new long[samples * window];
        var members = new List<int>();
        for (var m = 0; m < samples; m++)
        {
            members.Clear();
            for (var j = 0; j < window; j++)
            {
                if (targetIds[(m * window) + j] != 0)
                {
                    members.Add(j);
                }
            }

            if (members.Count == 0)
            {
                continue;
            }

            var vectors = new float[members.Count * dimension];
            for (var i = 0; i < members.Count; i++)
            {
                targetVectors.AsSpan(((m * window) + members[i]) * dimension, dimension).CopyTo(vectors.AsSpan(i * dimension));
            }

            var groups = Math.Min(s, members.Count);
            var (assignment, centroids) = TargetClustering.Cluster(vectors, members.Count, dimension, groups);
            var interestOfGroup = Match(centroids, groups, interestVectors.AsSpan(m * s * dimension, s * dimension), s, dimension);
            for (var i = 0; i < members.Count; i++)
            {
                var slot = (m * window) + members[i];
                rows[slot] = ((long)m * s) + interestOfGroup[assignment[i]];
                positives[slot] = targetIds[slot];
            }
        }

        if (Array.TrueForAll(positives, p => p == 0))
        {
            return zeros(1, device: interests.device).sum() * interests.sum();
        }

        var flat = interests.reshape(samples * s, dimension);
        if (negatives is not null && negatives.dim() == 2)
        {
            // Every slot keeps its place, so the samples of group g stay together: [G, (M / G) * w, D] against [G, K].
            var setCount = negatives.shape[0];
            var queries = flat.index_select(0, tensor(rows, device: interests.device)).view(setCount, -1, dimension); // [G, L, D]
            var targetsOfSets = tensor(positives, device: interests.device).view(setCount, -1); // [G, L]
            return _infoNce.ComputeGrouped(queries, targetsOfSets, itemTable, negatives);
        }

        var kept = Enumerable.Range(0, rows.Length).Where(i => positives[i] != 0).ToArray();
        var compact = flat.index_select(0, tensor(kept.Select(i => rows[i]).ToArray(), device: interests.device)); // [T, D]
        var positiveIds = tensor(kept.Select(i => positives[i]).ToArray(), device: interests.device); // [T]
        return negatives is null
            ? _infoNce.Compute(compact, positiveIds, itemTable, generator)
            : _infoNce.Compute(compact, positiveIds, itemTable, negatives);
    }

    /// <summary>Interest index for each group: the assignment of maximal total cosine, or each group's best.</summary>
    internal int[] Match(ReadOnlySpan<float> centroids, int groups, ReadOnlySpan<float> interests, int s, int dimension)
    {
        var cost = new double[groups, s];
        for (var g = 0; g < groups; g++)
        {
            for (var i = 0; i < s; i++)
            {
                var dot = 0.0;
                for (var d = 0; d < dimension; d++)
                {
                    dot += centroids[(g * dimension) + d] * interests[(i * dimension) + d];
                }

                cost[g, i] = -dot;
            }
        }

        if (matching == InterestMatching.Hungarian)
        {
            return Hungarian.Solve(cost);
        }

        var best = new int[groups];
        for (var g = 0; g < groups; g++)
        {
            for (var i = 1; i < s; i++)
            {
                if (cost[g, i] < cost[g, best[g]])
                {
                    best[g] = i;
                }
            }
        }

        return best;
    }
}
