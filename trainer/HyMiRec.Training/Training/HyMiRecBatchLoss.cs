using HyMiRec.Model.Interests;
using HyMiRec.Model.Losses;
using HyMiRec.Model.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace HyMiRec.Training.Training;

/// <summary>
/// One training batch's loss for <see cref="HyMiRecRecommender"/> (DMIL on the cut points, plus the per-position
/// next-item losses that are on), and the forward pass from item rows to refined interests that scoring shares.
/// </summary>
internal sealed class HyMiRecBatchLoss(HyMiRecOptions options, HyMiRecTrainingOptions extra, NegativeSampling sampling, double temperature)
{
    // Held for the recommender's lifetime so the native calls that take them never see a finalised scalar (see Modules.Scalars).
    private readonly Scalar _coarseLag = options.CoarseLag;
    private readonly Scalar _positionWeight = extra.PositionNextItemWeight;
    private readonly Scalar _coarseWeight = extra.CoarseNextItemWeight;
    private readonly PositionNextItemLoss _nextItem = new(temperature);
    private readonly bool _positionTerm = extra.PositionNextItemWeight > 0;
    private readonly bool _coarseTerm = extra.CoarseNextItemWeight > 0;

    /// <summary>What a step reads from the recommender's current state.</summary>
    /// <param name="Tokens">Catalog token ids [N+1, T], or pretrained text features [N+1, H].</param>
    /// <param name="HistoryTable">Stage 2's fixed long-history table [N+1, D] (codebook reconstructions); null in Stage 1.</param>
    /// <param name="NegativeText">Large catalogs with text: the cached text summaries of the items the loss scores.</param>
    public readonly record struct Tables(HyMiRecNetwork Network, Tensor Tokens, Tensor? HistoryTable, NegativeTextCache? NegativeText);

    /// <summary>
    /// The DMIL loss of one batch. With sampled negatives (negatives &lt; catalog size) on a catalog larger than
    /// <see cref="HyMiRecTrainingOptions.SubsetAboveItems"/> the item tower runs only on the items the step touches
    /// (<see cref="ItemSubset"/>: histories, targets, negatives), so the step costs O(batch), not O(catalog); every
    /// logit is the one the full table would give, except that text summaries are centred on the mean of the uniform
    /// negatives, an unbiased estimate of the catalog mean. A full softmax (negatives &gt;= catalog) and small
    /// catalogs use the full table, as before. With the per-position loss on, every item position of the batch adds its
    /// next-item term on the same table and negatives, and with the coarse one every history position of the
    /// lightweight recommender does too (<see cref="HyMiRecTrainingOptions.CoarseNextItemWeight"/>). Sampled negatives
    /// are one set for the batch or, with <see cref="NegativeSampling.Sequence"/>, one set per training sequence, shared
    /// by its cut points and positions.
    /// </summary>
    public Tensor Compute(Tables model, DmilLoss loss, Tensor items, Tensor cuts, Tensor targets, Generator generator)
    {
        var (network, tokens) = (model.Network, model.Tokens);
        var samples = targets.shape[0] * targets.shape[1];
        if (loss.IsFullSoftmax || network.ItemCount <= extra.SubsetAboveItems)
        {
            var table = network.ItemTable(tokens); // [N+1, D]
            var sampled = loss.IsFullSoftmax ? null : SampleNegatives(loss, generator, items.shape[0]); // [K] or [B, K]
            var (refined, sequence, coarseSequence) = Forward(model, table, items, cuts, items, _positionTerm, _coarseTerm); // [B, K, s, D], [B, T, D], [B, T, D]
            var cutLoss = sampled is null
                ? loss.Compute(refined.reshape(samples, options.RefinedQueries, -1), targets.reshape(samples, -1), table, generator)
                : loss.Compute(refined.reshape(samples, options.RefinedQueries, -1), targets.reshape(samples, -1), table, sampled);
            return WithPositions(cutLoss, sequence, coarseSequence, items, table, sampled, generator);
        }

        var negatives = SampleNegatives(loss, generator, items.shape[0]); // [K] or [B, K]
        var subset = ItemSubset.Create(items, targets, negatives); // ids [U]
        var (localItems, localTargets, localNegatives) = (subset.Local[0], subset.Local[1], subset.Local[2]); // [B, T], [B, K, w], [K] or [B, K]
        Tensor rows, candidates; // [U, D] what the user side reads, and what the loss scores
        if (model.NegativeText is { } cache)
        {
            // The history items run through the text encoder (its gradient comes from the user side); every item the
            // loss scores, positive or negative, takes cached text. Were positives live and negatives cached, the
            // model could tell them apart by freshness alone, and it does: the loss falls while validation does not move.
            var read = bincount(localItems.reshape(-1), minlength: subset.Ids.shape[0]).ne(Scalars.Zero); // [U]
            var (text, mean) = cache.ForStep(network, tokens);
            rows = network.ItemRowsWithCachedText(tokens.index_select(0, subset.Ids.masked_select(read)), subset.Ids, read, text, mean);
            candidates = network.ItemCachedRows(subset.Ids, text, mean);
        }
        else
        {
            rows = candidates = network.ItemRows(tokens.index_select(0, subset.Ids), subset.Ids, localNegatives.reshape(-1)); // centred on every set's items
        }

        var (interests, sequenceOutputs, coarseOutputs) = Forward(model, rows, localItems, cuts, items, _positionTerm, _coarseTerm); // [B, K, s, D], [B, T, D], [B, T, D]
        var value = loss.Compute(interests.reshape(samples, options.RefinedQueries, -1), localTargets.reshape(samples, -1), candidates, localNegatives);
        return WithPositions(value, sequenceOutputs, coarseOutputs, localItems, candidates, localNegatives, generator);
    }

    /// <summary>One set [K] for the whole batch, or one set per training sequence [B, K].</summary>
    private Tensor SampleNegatives(DmilLoss loss, Generator generator, long sequences) =>
        sampling == NegativeSampling.Sequence ? loss.SampleNegatives(generator, sequences) : loss.SampleNegatives(generator).view(-1);

    private Tensor WithPositions(Tensor value, Tensor? sequence, Tensor? coarseSequence, Tensor items, Tensor table, Tensor? negatives, Generator generator)
    {
        if (sequence is not null)
        {
            value = value + (_nextItem.Compute(sequence, items, table, negatives) * _positionWeight);
        }

        // The history tokens read the same sequence (Stage 2: as codebook reconstructions), so their targets are its next items.
        return coarseSequence is null
            ? value
            : value + (_nextItem.Compute(coarseSequence, items, table, negatives, extra.CoarseNextItemPositions, generator) * _coarseWeight);
    }

    /// <param name="table">[R, D] item rows that <paramref name="items"/> index (the full table, or a step's subset).</param>
    /// <param name="items">[B, T] indices into <paramref name="table"/>.</param>
    /// <param name="globalItems">[B, T] the same items as catalog ids, for the fixed Stage-2 history table.</param>
    /// <param name="withSequence">Also return the refined recommender's item-token outputs [B, T, D].</param>
    /// <param name="withCoarseSequence">Also return the lightweight recommender's history-token outputs [B, T, D] (null without it).</param>
    public (Tensor Refined, Tensor? Sequence, Tensor? CoarseSequence) Forward(Tables model, Tensor table, Tensor items, Tensor cuts,
        Tensor globalItems, bool withSequence = false, bool withCoarseSequence = false)
    {
        var valid = items.ne(Scalars.Zero); // [B, T]
        var shape = new long[] { items.shape[0], items.shape[1], -1 };
        var recent = table.index_select(0, items.reshape(-1)).view(shape); // [B, T, D]
        var history = model.HistoryTable is null ? recent : model.HistoryTable.index_select(0, globalItems.reshape(-1)).view(shape); // [B, T, D]
        if (!withSequence && !withCoarseSequence)
        {
            return (model.Network.Interests(history, valid, cuts - _coarseLag, recent, valid, cuts).Refined, null, null);
        }

        var (_, refined, sequence, coarseSequence) = model.Network.InterestsAndSequence(
            history, valid, cuts - _coarseLag, recent, valid, cuts, withCoarseSequence, withSequence);
        return (refined, sequence, coarseSequence);
    }
}
