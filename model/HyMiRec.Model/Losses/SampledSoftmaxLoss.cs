using TorchSharp;
using static TorchSharp.torch;

namespace HyMiRec.Model.Losses;

/// <summary>
/// Softmax cross-entropy of each query against its positive item and a set of negative items shared by the batch,
/// sampled uniformly from the catalog (the HSTU repository's setting). A negative that equals the positive is
/// masked out. With <c>negatives &gt;= itemCount</c> it is the full softmax over the catalog.
/// Logits are cosine similarities divided by a temperature, or raw dot products when temperature is null.
/// </summary>
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

    /// <param name="queries">[M, D]</param>
    /// <param name="positives">[M] item indices (1..N).</param>
    /// <param name="itemEmbeddings">[N + 1, D], row 0 padding.</param>
    /// <param name="generator">Seeded generator for negatives.</param>
    public Tensor Compute(Tensor queries, Tensor positives, Tensor itemEmbeddings, Generator? generator = null)
    {
        if (_temperature is not null)
        {
            queries = nn.functional.normalize(queries, dim: -1);
            itemEmbeddings = nn.functional.normalize(itemEmbeddings, dim: -1);
        }

        Tensor logits;
        Tensor labels;
        if (IsFullSoftmax)
        {
            logits = queries.matmul(itemEmbeddings[1..].t()); // [M, N]
            labels = positives - 1;
        }
        else
        {
            var negatives = randint(1, _itemCount + 1, [_negatives], generator: generator, device: queries.device); // [K]
            var positiveLogits = (queries * itemEmbeddings.index_select(0, positives)).sum(-1, keepdim: true); // [M, 1]
            var negativeLogits = queries.matmul(itemEmbeddings.index_select(0, negatives).t()); // [M, K]
            var hits = positives.unsqueeze(1).eq(negatives.unsqueeze(0)); // [M, K]
            negativeLogits = negativeLogits.masked_fill(hits, Modules.Scalars.NegativeInfinity);
            logits = cat([positiveLogits, negativeLogits], 1); // [M, 1 + K]
            labels = zeros(positives.shape[0], dtype: ScalarType.Int64, device: queries.device);
        }

        if (_temperatureScalar is { } t)
        {
            logits = logits.div(t);
        }

        return nn.functional.cross_entropy(logits, labels);
    }
}
