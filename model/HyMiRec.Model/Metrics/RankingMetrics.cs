using TorchSharp;
using static TorchSharp.torch;

namespace HyMiRec.Model.Metrics;

/// <summary>
/// Full-ranking Recall@K and NDCG@K over all items 1..N (no sampled negatives), one target per case.
/// The rank r (0-based) of a target is the number of items scoring strictly higher plus the number scoring equal
/// with a smaller item index, so ties never flatter the model and results are deterministic.
/// </summary>
public sealed class RankingMetrics
{
    public static readonly IReadOnlyList<int> DefaultKs = [10, 50, 200];

    private readonly int[] _ks;
    private readonly double[] _recallSums;
    private readonly double[] _ndcgSums;

    public RankingMetrics(IEnumerable<int>? ks = null)
    {
        _ks = [.. (ks ?? DefaultKs).Distinct().Order()];
        if (_ks.Length == 0 || _ks[0] < 1)
        {
            throw new ArgumentException("need at least one K, all >= 1", nameof(ks));
        }

        _recallSums = new double[_ks.Length];
        _ndcgSums = new double[_ks.Length];
    }

    public IReadOnlyList<int> Ks => _ks;

    public int Count { get; private set; }

    /// <summary>Adds one case whose target sits at 0-based rank <paramref name="rank"/>.</summary>
    public void AddRank(long rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        for (var i = 0; i < _ks.Length; i++)
        {
            if (rank < _ks[i])
            {
                _recallSums[i] += 1;
                _ndcgSums[i] += 1.0 / Math.Log2(rank + 2);
            }
        }

        Count++;
    }

    /// <summary>
    /// Ranks a batch and adds it. <paramref name="scores"/> is [B, N+1] with column 0 the padding item. Column 0 and,
    /// per row, the items in <paramref name="exclude"/> (by protocol the user's input items) are masked to -inf.
    /// The target itself is masked only if it is in its row's exclude list (a repeat consumption), which then pushes
    /// it behind every unmasked item; MovieLens has one rating per user and item, so that never happens there.
    /// NaN scores are treated as -inf. <paramref name="scores"/> is not modified.
    /// </summary>
    public void AddBatch(Tensor scores, int[] targets, int[][]? exclude = null)
    {
        foreach (var rank in Ranks(scores, targets, exclude))
        {
            AddRank(rank);
        }
    }

    /// <summary>Vectorised 0-based ranks of <paramref name="targets"/> under the protocol of <see cref="AddBatch"/>.</summary>
    public static long[] Ranks(Tensor scores, int[] targets, int[][]? exclude = null)
    {
        if (scores.dim() != 2 || scores.shape[0] != targets.Length)
        {
            throw new ArgumentException($"scores must be [B, N+1] with B = {targets.Length}, got [{string.Join(", ", scores.shape)}]");
        }

        if (exclude is not null && exclude.Length != targets.Length)
        {
            throw new ArgumentException("exclude must have one row per target", nameof(exclude));
        }

        var columns = scores.shape[1];
        foreach (var target in targets)
        {
            if (target < 1 || target >= columns)
            {
                throw new ArgumentOutOfRangeException(nameof(targets), $"target {target} is outside items 1..{columns - 1}");
            }
        }

        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var masked = scores.detach().to(ScalarType.Float32).clone();

        // A NaN score compares false both ways and would put a broken target at rank 0; count it as the worst.
        masked.masked_fill_(masked.isnan(), Modules.Scalars.NegativeInfinity);
        masked.index_fill_(1, torch.tensor(new long[] { 0 }, device: scores.device), Modules.Scalars.NegativeInfinity);
        if (exclude is not null)
        {
            var rows = new List<long>();
            var cols = new List<long>();
            for (var b = 0; b < exclude.Length; b++)
            {
                foreach (var item in exclude[b] ?? [])
                {
                    if (item < 0 || item >= columns)
                    {
                        throw new ArgumentOutOfRangeException(nameof(exclude), $"excluded item {item} is outside 0..{columns - 1}");
                    }

                    rows.Add(b);
                    cols.Add(item);
                }
            }

            if (rows.Count > 0)
            {
                masked.index_put_(
                    torch.tensor(float.NegativeInfinity, device: scores.device),
                    torch.tensor(rows.ToArray(), device: scores.device),
                    torch.tensor(cols.ToArray(), device: scores.device));
            }
        }

        // Column 0 is left out of the comparison, so only real items 1..N can outrank or tie the target.
        var items = masked.narrow(1, 1, columns - 1);
        var targetIndex = torch.tensor(targets.Select(t => (long)t).ToArray(), device: scores.device).unsqueeze(1);
        var targetScore = masked.gather(1, targetIndex);
        var greater = items.gt(targetScore).sum(1);
        using var end = columns.ToScalar(); // held past the native call (see Modules.Scalars)
        var itemIndex = torch.arange(Modules.Scalars.One, end, dtype: ScalarType.Int64, device: scores.device).unsqueeze(0);
        var tiedBefore = items.eq(targetScore).logical_and(itemIndex.lt(targetIndex)).sum(1);
        return (greater + tiedBefore).cpu().data<long>().ToArray();
    }

    public RankingResult Result()
    {
        var recall = new Dictionary<int, double>();
        var ndcg = new Dictionary<int, double>();
        for (var i = 0; i < _ks.Length; i++)
        {
            recall[_ks[i]] = Count == 0 ? 0 : _recallSums[i] / Count;
            ndcg[_ks[i]] = Count == 0 ? 0 : _ndcgSums[i] / Count;
        }

        return new RankingResult(Count, recall, ndcg);
    }

    public void Reset()
    {
        Array.Clear(_recallSums);
        Array.Clear(_ndcgSums);
        Count = 0;
    }
}
