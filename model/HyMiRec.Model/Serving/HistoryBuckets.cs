namespace HyMiRec.Model.Serving;

/// <summary>
/// Splits a batch of serving requests into forward-pass sub-batches by history length. Histories are left-padded to
/// the longest one in a forward pass, so one long history makes every short one beside it pay for its positions;
/// grouping similar lengths keeps that padding small, and a size cap keeps each pass at the size the hardware runs best.
/// </summary>
public static class HistoryBuckets
{
    /// <summary>
    /// Request indices per sub-batch: requests sorted by history length (stable, so equal lengths keep their order),
    /// then cut greedily so each sub-batch holds at most <paramref name="maxBatchSize"/> requests and at most
    /// <paramref name="maxPaddingWaste"/> of its cells are padding. Every sub-batch holds at least one request and
    /// every index 0..n-1 appears exactly once. A history counts as at least one position, as the padded tensor
    /// always has at least one column.
    /// </summary>
    /// <param name="lengths">History length (events the model reads) of request i.</param>
    /// <param name="maxBatchSize">Most requests in one sub-batch (1 or more).</param>
    /// <param name="maxPaddingWaste">Largest share of padded cells, (width x count - sum of lengths) / (width x count), in 0..1.</param>
    public static IReadOnlyList<int[]> Plan(IReadOnlyList<int> lengths, int maxBatchSize, double maxPaddingWaste)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        if (maxBatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBatchSize), maxBatchSize, "the forward batch size must be at least 1");
        }

        if (!(maxPaddingWaste >= 0 && maxPaddingWaste <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(maxPaddingWaste), maxPaddingWaste, "the padding waste share must be in 0..1");
        }

        for (var i = 0; i < lengths.Count; i++)
        {
            if (lengths[i] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(lengths), lengths[i], $"request {i} has a negative history length");
            }
        }

        // OrderBy is a stable sort.
        var order = Enumerable.Range(0, lengths.Count).OrderBy(i => lengths[i]).ToArray();
        var plan = new List<int[]>();
        var start = 0;
        long used = 0;
        for (var next = 0; next < order.Length; next++)
        {
            var length = Math.Max(1, lengths[order[next]]);
            var count = next - start + 1;
            // Sorted ascending, so the newcomer is the widest and sets the padded width.
            var cells = (long)count * length;
            if (count > 1 && (count > maxBatchSize || (double)(cells - used - length) / cells > maxPaddingWaste))
            {
                plan.Add(order[start..next]);
                start = next;
                used = 0;
            }

            used += length;
        }

        if (start < order.Length)
        {
            plan.Add(order[start..]);
        }

        return plan;
    }

    /// <summary>History lengths of <paramref name="batch"/> as <paramref name="model"/> reads them (newest MaxHistory events).</summary>
    public static int[] Lengths(IReadOnlyList<InterestRequest> batch, IInterestModel model)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(model);
        var layers = Math.Max(1, model.CodebookLayers);
        return [.. batch.Select(r => HistoryWindow.Length(r.HistoryCodes.Length / layers, model.MaxHistory))];
    }
}
