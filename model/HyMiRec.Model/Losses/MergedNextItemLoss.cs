using TorchSharp;
using static TorchSharp.torch;

namespace HyMiRec.Model.Losses;

/// <summary>
/// Softmax cross-entropy of each sample's next item, with every item scored the way serving ranks it: its best cosine
/// over the user's s interests. DMIL trains each interest only on the targets matched to it and never sees the merge,
/// so an interest may score another interest's targets' negatives high and push them into the merged top-k; this term
/// trains the merged ranking itself. Its gradient reaches, for each item, only the interest that scores it best.
/// </summary>
public sealed class MergedNextItemLoss(double? temperature)
{
    private readonly Scalar? _temperature = temperature?.ToScalar(); // kept alive by the loss object (see Modules.Scalars)

    /// <param name="interests">[M, s, D]</param>
    /// <param name="next">[M] the next item's row in <paramref name="itemTable"/>, 0 for none.</param>
    /// <param name="itemTable">[R, D] item rows, row 0 padding.</param>
    /// <param name="negatives">
    /// Rows of <paramref name="itemTable"/>: [K] shared by all samples, or [G, K] one set per group of consecutive
    /// samples (sample m uses set m / (M / G)); null: every row 1.. (full softmax).
    /// </param>
    public Tensor Compute(Tensor interests, Tensor next, Tensor itemTable, Tensor? negatives)
    {
        if (negatives is not null && negatives.dim() == 2)
        {
            return Grouped(interests, next, itemTable, negatives);
        }

        var valid = next.ne(Modules.Scalars.Zero).nonzero().squeeze(1); // [V]
        if (valid.shape[0] == 0)
        {
            return interests.sum() * Modules.Scalars.Zero;
        }

        var queries = Normalize(interests.index_select(0, valid)); // [V, s, D]
        var positives = next.index_select(0, valid); // [V]
        if (negatives is null)
        {
            var items = Normalize(itemTable[1..]); // [N, D]
            var all = Scale(Best(queries.matmul(items.t()))); // [V, N]
            return nn.functional.cross_entropy(all, positives - Modules.Scalars.One);
        }

        var positiveItems = Normalize(itemTable.index_select(0, positives)).unsqueeze(1); // [V, 1, D]
        var positiveLogits = (queries * positiveItems).sum(-1).amax([1], keepdim: true); // [V, 1]
        var negativeItems = Normalize(itemTable.index_select(0, negatives)); // [K, D]
        var negativeLogits = Best(queries.matmul(negativeItems.t())); // [V, K]
        negativeLogits = negativeLogits.masked_fill(positives.unsqueeze(1).eq(negatives.unsqueeze(0)), Modules.Scalars.NegativeInfinity);
        var logits = Scale(cat([positiveLogits, negativeLogits], 1)); // [V, 1 + K]
        return nn.functional.cross_entropy(logits, zeros(logits.shape[0], dtype: ScalarType.Int64, device: logits.device));
    }

    /// <summary>
    /// Every sample is scored against its own group's negatives; rows without a next item are dropped only after the
    /// grouped product, so the groups keep their shape. The shared form stays separate because it drops them first:
    /// on sparse histories most positions are padding, and scoring them all would multiply its cost.
    /// </summary>
    private Tensor Grouped(Tensor interests, Tensor next, Tensor itemTable, Tensor negatives)
    {
        var valid = next.ne(Modules.Scalars.Zero).nonzero().squeeze(1); // [V]
        if (valid.shape[0] == 0)
        {
            return interests.sum() * Modules.Scalars.Zero;
        }

        var (samples, s, dimension) = (interests.shape[0], interests.shape[1], interests.shape[2]);
        var (groups, count) = (negatives.shape[0], negatives.shape[1]);
        var queries = Normalize(interests); // [M, s, D]
        var positiveItems = Normalize(itemTable.index_select(0, next)).unsqueeze(1); // [M, 1, D]
        var positiveLogits = (queries * positiveItems).sum(-1).amax([1], keepdim: true); // [M, 1]
        var negativeItems = Normalize(itemTable.index_select(0, negatives.reshape(-1))).view(groups, count, dimension); // [G, K, D]
        var scores = queries.reshape(groups, -1, dimension).bmm(negativeItems.transpose(1, 2)); // [G, (M / G) * s, K]
        var negativeLogits = Best(scores.reshape(samples, s, count)); // [M, K]
        var hits = next.view(groups, -1, 1).eq(negatives.unsqueeze(1)).view(samples, count); // [M, K]
        negativeLogits = negativeLogits.masked_fill(hits, Modules.Scalars.NegativeInfinity);
        var logits = Scale(cat([positiveLogits, negativeLogits], 1)).index_select(0, valid); // [V, 1 + K]
        return nn.functional.cross_entropy(logits, zeros(logits.shape[0], dtype: ScalarType.Int64, device: logits.device));
    }

    /// <summary>Each item's best score over the interests, [V, s, X] -> [V, X]; with one interest a view, not a copy.</summary>
    private static Tensor Best(Tensor scores) => scores.shape[1] == 1 ? scores.squeeze(1) : scores.amax([1]);

    private Tensor Normalize(Tensor rows) => _temperature is null ? rows : nn.functional.normalize(rows, dim: -1);

    private Tensor Scale(Tensor logits) => _temperature is { } t ? logits.div(t) : logits;
}
