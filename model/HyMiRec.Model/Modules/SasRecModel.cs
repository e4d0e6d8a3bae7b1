using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace HyMiRec.Model.Modules;

/// <summary>
/// SASRec (Kang and McAuley, 2018): item-id embeddings, learned positions and causal self-attention. Input is a
/// left-padded batch of item indices (0 = padding); output is one hidden state per position.
/// </summary>
public sealed class SasRecModel : nn.Module<Tensor, Tensor>
{
    private readonly Embedding _items;
    private readonly Embedding _positions;
    private readonly Dropout _embeddingDropout;
    private readonly ModuleList<CausalTransformerBlock> _blocks;
    private readonly LayerNorm _finalNorm;
    private readonly double _embeddingScale;
    private readonly Scalar _embeddingScaleScalar; // held by the module past the native calls (see Scalars)

    public SasRecModel(int itemCount, SasRecOptions options)
        : base(nameof(SasRecModel))
    {
        options.Validate();
        Options = options;
        ItemCount = itemCount;
        _embeddingScale = Math.Sqrt(options.Dimension);
        _embeddingScaleScalar = _embeddingScale;
        _items = nn.Embedding(itemCount + 1, options.Dimension, padding_idx: 0);
        _positions = nn.Embedding(options.MaxLength, options.Dimension);
        _embeddingDropout = nn.Dropout(options.Dropout);
        _blocks = nn.ModuleList(Enumerable.Range(0, options.Blocks)
            .Select(i => new CausalTransformerBlock(
                $"block{i}", options.Dimension, options.Heads, options.Dimension * options.FeedForwardMultiplier, options.Dropout))
            .ToArray());
        _finalNorm = nn.LayerNorm(options.Dimension);
        RegisterComponents();
        using (no_grad())
        {
            nn.init.normal_(_items.weight!, std: options.ItemInitStd ?? (1.0 / _embeddingScale));
            _items.weight![0].zero_();
            nn.init.normal_(_positions.weight!, std: 0.02);
        }
    }

    public SasRecOptions Options { get; }

    public int ItemCount { get; }

    /// <summary>Item embedding table [N + 1, D]; row 0 is padding.</summary>
    public Parameter ItemEmbeddings => _items.weight!;

    /// <param name="items">[B, L] item indices, left-padded with 0, L at most MaxLength.</param>
    /// <returns>[B, L, D] hidden states.</returns>
    public override Tensor forward(Tensor items)
    {
        var length = items.shape[1];
        using var first = (Options.MaxLength - length).ToScalar(); // held past the native call (see Scalars)
        using var end = Options.MaxLength.ToScalar();
        var positions = arange(first, end, device: items.device); // [L]
        var x = (_items.forward(items) * _embeddingScaleScalar) + _positions.forward(positions).unsqueeze(0); // [B, L, D]
        var valid = items.ne(Scalars.Zero); // [B, L]
        x = _embeddingDropout.forward(x) * valid.unsqueeze(-1);
        var mask = AttentionMask(valid); // [B, 1, L, L]
        foreach (var block in _blocks)
        {
            x = block.forward(x, mask) * valid.unsqueeze(-1);
        }

        return _finalNorm.forward(x);
    }

    /// <summary>Causal mask that also hides padding keys; the diagonal stays open so padded rows never go all -inf.</summary>
    internal static Tensor AttentionMask(Tensor valid)
    {
        var length = valid.shape[1];
        var causal = ones(length, length, dtype: ScalarType.Bool, device: valid.device).tril(); // [L, L]
        var keys = valid.unsqueeze(1).unsqueeze(1); // [B, 1, 1, L]
        var diagonal = eye(length, dtype: ScalarType.Bool, device: valid.device); // [L, L]
        return causal.logical_and(keys).logical_or(diagonal); // [B, 1, L, L]
    }
}
