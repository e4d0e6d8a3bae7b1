using System.Numerics.Tensors;

namespace HyMiRec.Model.Serving;

/// <summary>
/// The catalog's L2-normalised item rows in managed memory, scored against a user's interests: an item's score is
/// its best cosine over the interests. Serving reads run this on the request's own thread, so it stays free of native
/// calls, dispose scopes and pinned buffers (a read allocates its answer and a heap of k entries, nothing per item).
/// </summary>
public sealed class ItemIndex
{
    private readonly float[] _rows;

    /// <param name="rows">Row-major [N + 1, D]; row 0 is padding and never recommended.</param>
    public ItemIndex(float[] rows, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (rows.Length % dimension != 0 || rows.Length < dimension)
        {
            throw new ArgumentException($"{rows.Length} values do not form [N + 1, {dimension}] rows", nameof(rows));
        }

        _rows = rows;
        Dimension = dimension;
        ItemCount = (rows.Length / dimension) - 1;
    }

    public int Dimension { get; }

    public int ItemCount { get; }

    /// <summary>The k best items (highest score first) for row-major [s, D] <paramref name="queries"/>, leaving out
    /// <paramref name="exclude"/> and items whose score is not finite.</summary>
    public IReadOnlyList<ScoredItem> Top(ReadOnlySpan<float> queries, int k, IReadOnlySet<int>? exclude = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (queries.Length == 0 || queries.Length % Dimension != 0)
        {
            throw new ArgumentException($"{queries.Length} values do not form [s, {Dimension}] interests", nameof(queries));
        }

        var interests = queries.Length / Dimension;
        var best = new PriorityQueue<int, (float Score, int Item)>(Math.Min(k, ItemCount) + 1, WeakestFirst.Instance);
        for (var item = 1; item <= ItemCount; item++)
        {
            if (exclude is not null && exclude.Contains(item))
            {
                continue;
            }

            var row = _rows.AsSpan(item * Dimension, Dimension);
            var score = float.NegativeInfinity;
            for (var s = 0; s < interests; s++)
            {
                score = MathF.Max(score, TensorPrimitives.Dot(queries.Slice(s * Dimension, Dimension), row));
            }

            if (!float.IsFinite(score))
            {
                continue;
            }

            if (best.Count < k)
            {
                best.Enqueue(item, (score, item));
            }
            else if (best.TryPeek(out _, out var weakest) && WeakestFirst.Instance.Compare((score, item), weakest) > 0)
            {
                best.DequeueEnqueue(item, (score, item));
            }
        }

        var top = new ScoredItem[best.Count];
        for (var i = top.Length - 1; i >= 0; i--)
        {
            best.TryDequeue(out var item, out var entry);
            top[i] = new ScoredItem(item, entry.Score);
        }

        return top;
    }

    /// <summary>Ranks by score, equal scores by the lower item index, so a ranking never depends on heap order.</summary>
    private sealed class WeakestFirst : IComparer<(float Score, int Item)>
    {
        public static readonly WeakestFirst Instance = new();

        public int Compare((float Score, int Item) x, (float Score, int Item) y) =>
            x.Score != y.Score ? x.Score.CompareTo(y.Score) : y.Item.CompareTo(x.Item);
    }
}
