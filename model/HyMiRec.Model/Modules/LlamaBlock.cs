using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HyMiRec.Model.Modules;

/// <summary>
/// A LLaMA-style decoder block: x + attn(RMSNorm(x)) with rotary positions, then x + SwiGLU(RMSNorm(x)).
/// The caller's mask decides who sees whom, so the same block serves causal, windowed and query-token layouts.
/// </summary>
public sealed class LlamaBlock : nn.Module<Tensor, Tensor, RotaryTables, Tensor>
{
    private readonly RmsNorm _attentionNorm;
    private readonly Linear _qkv;
    private readonly Linear _output;
    private readonly Dropout _attentionDropout;
    private readonly RmsNorm _feedForwardNorm;
    private readonly Linear _gate;
    private readonly Linear _up;
    private readonly Linear _down;
    private readonly Dropout _feedForwardDropout;
    private readonly int _heads;

    public LlamaBlock(string name, int dimension, int heads, int feedForward, double dropout)
        : base(name)
    {
        _heads = heads;
        _attentionNorm = new RmsNorm("attention_norm", dimension);
        _qkv = nn.Linear(dimension, 3 * dimension, hasBias: false);
        _output = nn.Linear(dimension, dimension, hasBias: false);
        _attentionDropout = nn.Dropout(dropout);
        _feedForwardNorm = new RmsNorm("feed_forward_norm", dimension);
        _gate = nn.Linear(dimension, feedForward, hasBias: false);
        _up = nn.Linear(dimension, feedForward, hasBias: false);
        _down = nn.Linear(feedForward, dimension, hasBias: false);
        _feedForwardDropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <param name="x">[B, L, D]</param>
    /// <param name="mask">[B, 1, L, L] boolean, true where a query may attend to a key; every row needs one true.</param>
    /// <param name="rotary">Tables for the L token positions.</param>
    public override Tensor forward(Tensor x, Tensor mask, RotaryTables rotary)
    {
        var (batch, length, dimension) = (x.shape[0], x.shape[1], x.shape[2]);
        var qkv = Projections(x); // [3, B, H, L, Dh]
        // Dropout on attention probabilities sends CPU attention down a path about 30x slower; the residual
        // dropout below regularises instead.
        var attended = nn.functional.scaled_dot_product_attention(
            rotary.Apply(qkv[0]), rotary.Apply(qkv[1]), qkv[2].contiguous(), mask); // [B, H, L, Dh]
        var merged = attended.transpose(1, 2).reshape(batch, length, dimension); // [B, L, D]
        return FeedForward(x + _attentionDropout.forward(_output.forward(merged)));
    }

    /// <summary>
    /// <see cref="forward"/>'s output at <paramref name="rows"/> only: keys and values still come from every token, but
    /// the queries, the output projection and the feed-forward run for those rows alone. A stack's last block, where
    /// only a few tokens' outputs are read (the query tokens at serving time), needs no more.
    /// </summary>
    /// <param name="rows">[B, R] int64 token indices.</param>
    /// <returns>[B, R, D], equal to <c>forward(x, mask, rotary)</c> gathered at <paramref name="rows"/>.</returns>
    public Tensor ForwardRows(Tensor x, Tensor mask, RotaryTables rotary, Tensor rows) =>
        ForwardRowsMasked(x, mask.gather(2, rows.view(rows.shape[0], 1, rows.shape[1], 1).expand(-1, mask.shape[1], -1, mask.shape[3])), rotary, rows);

    /// <summary>
    /// <see cref="ForwardRows"/> with the rows' own mask [B, 1, R, L] (<see cref="Interests.QueryLayout.RowMask"/>), so
    /// that no [L, L] mask has to exist: the cost is then linear in L.
    /// </summary>
    public Tensor ForwardRowsMasked(Tensor x, Tensor rowMask, RotaryTables rotary, Tensor rows)
    {
        var (batch, length, dimension) = (x.shape[0], x.shape[1], x.shape[2]);
        var count = rows.shape[1];
        var headDimension = dimension / _heads;
        var weight = _qkv.weight!;
        var own = x.gather(1, rows.unsqueeze(-1).expand(-1, -1, dimension)); // [B, R, D]
        var queries = nn.functional.linear(_attentionNorm.forward(own), weight.narrow(0, 0, dimension)) // [B, R, D]
            .view(batch, count, _heads, headDimension).transpose(1, 2); // [B, H, R, Dh]
        var keysValues = nn.functional.linear(_attentionNorm.forward(x), weight.narrow(0, dimension, 2 * dimension)) // [B, L, 2D]
            .view(batch, length, 2, _heads, headDimension).permute(2, 0, 3, 1, 4); // [2, B, H, L, Dh]
        var attended = nn.functional.scaled_dot_product_attention(
            rotary.Rows(rows).Apply(queries), rotary.Apply(keysValues[0]), keysValues[1].contiguous(), rowMask); // [B, H, R, Dh]
        var merged = attended.transpose(1, 2).reshape(batch, count, dimension); // [B, R, D]
        return FeedForward(own + _attentionDropout.forward(_output.forward(merged)));
    }

    /// <returns>[3, B, H, L, Dh] queries, keys and values.</returns>
    private Tensor Projections(Tensor x) =>
        _qkv.forward(_attentionNorm.forward(x)) // [B, L, 3D]
            .view(x.shape[0], x.shape[1], 3, _heads, x.shape[2] / _heads)
            .permute(2, 0, 3, 1, 4);

    private Tensor FeedForward(Tensor x)
    {
        var normed = _feedForwardNorm.forward(x);
        var hidden = nn.functional.silu(_gate.forward(normed)) * _up.forward(normed); // [B, L, F]
        return x + _feedForwardDropout.forward(_down.forward(hidden));
    }

    /// <summary>
    /// Runs <paramref name="blocks"/> in order. With <paramref name="rows"/> the last one computes only those rows
    /// (<see cref="ForwardRows"/>: [B, R, D]); without, every token ([B, L, D]).
    /// </summary>
    public static Tensor RunStack(IList<LlamaBlock> blocks, Tensor x, Tensor mask, RotaryTables rotary, Tensor? rows)
    {
        for (var i = 0; i < blocks.Count - 1; i++)
        {
            x = blocks[i].forward(x, mask, rotary);
        }

        return rows is null ? blocks[^1].forward(x, mask, rotary) : blocks[^1].ForwardRows(x, mask, rotary, rows);
    }
}
