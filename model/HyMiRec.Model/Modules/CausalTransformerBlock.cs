using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HyMiRec.Model.Modules;

/// <summary>Pre-norm transformer block: x + attn(LN(x)), then x + FFN(LN(x)).</summary>
public sealed class CausalTransformerBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly LayerNorm _attentionNorm;
    private readonly Linear _qkv;
    private readonly Linear _output;
    private readonly Dropout _attentionDropout;
    private readonly LayerNorm _feedForwardNorm;
    private readonly Linear _up;
    private readonly Linear _down;
    private readonly Dropout _feedForwardDropout;
    private readonly int _heads;
    private readonly double _dropout;

    public CausalTransformerBlock(string name, int dimension, int heads, int feedForward, double dropout)
        : base(name)
    {
        _heads = heads;
        _dropout = dropout;
        _attentionNorm = nn.LayerNorm(dimension);
        _qkv = nn.Linear(dimension, 3 * dimension);
        _output = nn.Linear(dimension, dimension);
        _attentionDropout = nn.Dropout(dropout);
        _feedForwardNorm = nn.LayerNorm(dimension);
        _up = nn.Linear(dimension, feedForward);
        _down = nn.Linear(feedForward, dimension);
        _feedForwardDropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <param name="x">[B, L, D]</param>
    /// <param name="attentionMask">[B, 1, L, L] boolean, true where a query may attend to a key.</param>
    public override Tensor forward(Tensor x, Tensor attentionMask)
    {
        var (batch, length, dimension) = (x.shape[0], x.shape[1], x.shape[2]);
        var qkv = _qkv.forward(_attentionNorm.forward(x)) // [B, L, 3D]
            .view(batch, length, 3, _heads, dimension / _heads)
            .permute(2, 0, 3, 1, 4); // [3, B, H, L, D/H]
        var attended = nn.functional.scaled_dot_product_attention(
            qkv[0], qkv[1], qkv[2], attentionMask, training ? _dropout : 0.0); // [B, H, L, D/H]
        var merged = attended.transpose(1, 2).reshape(batch, length, dimension); // [B, L, D]
        x = x + _attentionDropout.forward(_output.forward(merged));
        var hidden = nn.functional.gelu(_up.forward(_feedForwardNorm.forward(x))); // [B, L, F]
        return x + _feedForwardDropout.forward(_down.forward(hidden));
    }
}
