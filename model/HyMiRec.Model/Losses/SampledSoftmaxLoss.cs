using TorchSharp;
using static TorchSharp.torch;

namespace HyMiRec.Model.Losses;

/// <summary>
/// Softmax cross-entropy of each query against its positive item and a set of negative items drawn uniformly from
/// the catalog (the HSTU repository's setting). A negative that equals the positive is masked out. Negatives are
/// uniform, so every item has the same sampling probability and the logQ correction is a constant that cancels: none
/// is applied. With <c>negatives &gt;= itemCount</c> it is the full softmax over the catalog (the option for small
/// catalogs); otherwise sampled softmax, whose cost does not grow with the catalog.
/// Logits are cosine similarities divided by a temperature, or raw dot products when temperature is null.
/// </summary>
/// <remarks>
/// Negatives can be shared by the whole batch (the <c>Compute</c> overloads) or drawn per group of queries, e.g. one set per
/// training sequence (<see cref="ComputeGrouped"/>): with one shared set of 128 a step pushes down only 128 items of
/// the catalog, with a set per sequence it pushes down B x 128. The negatives may be given as ids into any item table
/// (e.g. the rows of a per-step subset of the catalog), which is what makes the loss independent of the catalog size.
/// </remarks>
public sealed class SampledSoftmaxLoss
{
    private readonly int _itemCount;
    private readonly int _negatives;
    private readonly double? _temperature;
    private readonly Scalar? _temperatureScalar; // kept alive by the loss object (see Modules.Scalars)

    public SampledSoftmaxLoss(int itemCount, int negatives, double? temperature)
    {
        if (negatives <= 0)
        {
            throw new ArgumentException("negatives must be positive");
        }

        _itemCount = itemCount;
        _negatives = negatives;
        _temperature = temperature;
        _temperatureScalar = temperature?.ToScalar();
    }

    public bool IsFullSoftmax => _negatives >= _itemCount;

    public int Negatives => _negatives;

    /// <summary>Uniform negatives over the catalog's items 1..N: [groups, K] (the same draws as the shared form when groups = 1).</summary>
    public Tensor SampleNegatives(Generator? generator, long groups = 1, Device? device = null) =>
        randint(1, _itemCount + 1, [groups * _negatives], generator: generator, device: device).view(groups, _negatives); // [G, K]

    /// <param name="queries">[M, D]</param>
    /// <param name="positives">[M] item indices (1..N).</param>
    /// <param name="itemEmbeddings">[N + 1, D], row 0 padding.</param>
    /// <param name="generator">Seeded generator for negatives.</param>
    public Tensor Compute(Tensor queries, Tensor positives, Tensor itemEmbeddings, Generator? generator = null)
    {
        if (IsFullSoftmax)
        {
            return FullSoftmax(queries, positives, itemEmbeddings);
        }

        var negatives = SampleNegatives(generator, 1, queries.device).view(-1); // [K]
        return Compute(queries, positives, itemEmbeddings, negatives);
    }

    /// <summary>Sampled softmax with negatives given: indices [K] into <paramref name="itemEmbeddings"/>, shared by every query.</summary>
    /// <param name="queries">[M, D]</param>
    /// <param name="positives">[M] row indices into <paramref name="itemEmbeddings"/>.</param>
    /// <param name="itemEmbeddings">[R, D] the full table or any table holding the positives and negatives.</param>
    /// <param name="negatives">[K] row indices into <paramref name="itemEmbeddings"/>.</param>
    public Tensor Compute(Tensor queries, Tensor positives, Tensor itemEmbeddings, Tensor negatives) =>
        ComputeGrouped(queries.unsqueeze(0), positives.unsqueeze(0), itemEmbeddings, negatives.view(1, -1)); // [1, M, D]

    /// <summary>
    /// Sampled softmax where query group g is scored against its own negatives: queries [G, L, D], positives [G, L]
    /// (0 = no target at that position, left out of the mean), negatives [G, K], all indices into
    /// <paramref name="itemEmbeddings"/>. The mean is over the positions with a target.
    /// </summary>
    public Tensor ComputeGrouped(Tensor queries, Tensor positives, Tensor itemEmbeddings, Tensor negatives)
    {
        var positiveItems = itemEmbeddings.index_select(0, positives.reshape(-1)).view(positives.shape[0], positives.shape[1], -1); // [G, L, D]
        var negativeItems = itemEmbeddings.index_select(0, negatives.reshape(-1)).view(negatives.shape[0], negatives.shape[1], -1); // [G, K, D]

        // Row-wise normalisation commutes with index_select: normalising only the rows used is the same as
        // normalising the whole table first, and costs O(rows used), not O(catalog).
        if (_temperature is not null)
        {
            queries = nn.functional.normalize(queries, dim: -1);
            positiveItems = nn.functional.normalize(positiveItems, dim: -1);
            negativeItems = nn.functional.normalize(negativeItems, dim: -1);
        }

        var positiveLogits = (queries * positiveItems).sum(-1, keepdim: true); // [G, L, 1]
        var negativeLogits = queries.bmm(negativeItems.transpose(1, 2)); // [G, L, K]
        var hits = positives.unsqueeze(2).eq(negatives.unsqueeze(1)); // [G, L, K]
        negativeLogits = negativeLogits.masked_fill(hits, Modules.Scalars.NegativeInfinity);
        var logits = cat([positiveLogits, negativeLogits], 2); // [G, L, 1 + K]
        if (_temperatureScalar is { } t)
        {
            logits = logits.div(t);
        }

        var valid = positives.reshape(-1).ne(Modules.Scalars.Zero).nonzero().squeeze(1); // [M]
        var rows = logits.reshape(-1, logits.shape[2]).index_select(0, valid); // [M, 1 + K]
        var labels = zeros(rows.shape[0], dtype: ScalarType.Int64, device: queries.device); // [M]
        return nn.functional.cross_entropy(rows, labels);
    }

    private Tensor FullSoftmax(Tensor queries, Tensor positives, Tensor itemEmbeddings)
    {
        var items = itemEmbeddings[1..]; // [N, D]
        if (_temperature is not null)
        {
            queries = nn.functional.normalize(queries, dim: -1);
            items = nn.functional.normalize(items, dim: -1);
        }

        var logits = queries.matmul(items.t()); // [M, N]
        if (_temperatureScalar is { } t)
        {
            logits = logits.div(t);
        }

        return nn.functional.cross_entropy(logits, positives - Modules.Scalars.One);
    }
}
