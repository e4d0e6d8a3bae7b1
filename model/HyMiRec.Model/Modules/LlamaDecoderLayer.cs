using HyMiRec.Model.Pretrained;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HyMiRec.Model.Modules;

/// <summary>
/// One decoder layer exactly as Hugging Face LLaMA computes it: causal attention with separate q/k/v/o projections,
/// grouped-query attention and rotary positions, then a SwiGLU MLP, each behind an RMSNorm and a residual.
/// Kept apart from <see cref="LlamaBlock"/>, whose fused projection and parameter names saved artifacts rely on.
/// </summary>
public sealed class LlamaDecoderLayer : nn.Module<Tensor, RotaryTables, Tensor>
{
    private readonly RmsNorm _inputNorm;
    private readonly Linear _query;
    private readonly Linear _key;
    private readonly Linear _value;
    private readonly Linear _output;
    private readonly RmsNorm _postAttentionNorm;
    private readonly Linear _gate;
    private readonly Linear _up;
    private readonly Linear _down;
    private readonly int _heads;
    private readonly int _keyValueHeads;
    private readonly int _headDimension;

    public LlamaDecoderLayer(string name, LlamaConfig config)
        : base(name)
    {
        (_heads, _keyValueHeads, _headDimension) = (config.Heads, config.KeyValueHeads, config.HeadDimension);
        var (hidden, keyValue) = (config.HiddenSize, config.KeyValueHeads * config.HeadDimension);
        _inputNorm = new RmsNorm("input_layernorm", hidden, config.RmsNormEpsilon);
        _query = nn.Linear(hidden, hidden, hasBias: false);
        _key = nn.Linear(hidden, keyValue, hasBias: false);
        _value = nn.Linear(hidden, keyValue, hasBias: false);
        _output = nn.Linear(hidden, hidden, hasBias: false);
        _postAttentionNorm = new RmsNorm("post_attention_layernorm", hidden, config.RmsNormEpsilon);
        _gate = nn.Linear(hidden, config.IntermediateSize, hasBias: false);
        _up = nn.Linear(hidden, config.IntermediateSize, hasBias: false);
        _down = nn.Linear(config.IntermediateSize, hidden, hasBias: false);
        RegisterComponents();
    }

    /// <summary>This layer's parameters under their Hugging Face names (prefix e.g. "model.layers.3.").</summary>
    public IEnumerable<(string Key, Tensor Parameter)> Weights(string prefix) =>
    [
        (prefix + "input_layernorm.weight", _inputNorm.Scale),
        (prefix + "self_attn.q_proj.weight", _query.weight!),
        (prefix + "self_attn.k_proj.weight", _key.weight!),
        (prefix + "self_attn.v_proj.weight", _value.weight!),
        (prefix + "self_attn.o_proj.weight", _output.weight!),
        (prefix + "post_attention_layernorm.weight", _postAttentionNorm.Scale),
        (prefix + "mlp.gate_proj.weight", _gate.weight!),
        (prefix + "mlp.up_proj.weight", _up.weight!),
        (prefix + "mlp.down_proj.weight", _down.weight!),
    ];

    /// <param name="x">[B, T, H]</param>
    /// <param name="rotary">Tables for positions 0..T-1.</param>
    public override Tensor forward(Tensor x, RotaryTables rotary)
    {
        var (batch, length, hidden) = (x.shape[0], x.shape[1], x.shape[2]);
        var normed = _inputNorm.forward(x);
        var query = _query.forward(normed).view(batch, length, _heads, _headDimension).transpose(1, 2); // [B, Hq, T, Dh]
        var key = _key.forward(normed).view(batch, length, _keyValueHeads, _headDimension).transpose(1, 2); // [B, Hkv, T, Dh]
        var value = _value.forward(normed).view(batch, length, _keyValueHeads, _headDimension).transpose(1, 2); // [B, Hkv, T, Dh]
        query = rotary.Apply(query);
        key = rotary.Apply(key);
        if (_heads != _keyValueHeads)
        {
            // Hugging Face's repeat_kv: query head h reads kv head h / (Hq / Hkv), i.e. each kv head repeated in place.
            var groups = _heads / _keyValueHeads;
            key = key.repeat_interleave(groups, dim: 1); // [B, Hq, T, Dh]
            value = value.repeat_interleave(groups, dim: 1);
        }

        // Right padding sits after every real token, so a causal mask alone keeps it out of the real positions.
        var attended = nn.functional.scaled_dot_product_attention(query, key, value.contiguous(), null, 0.0, true); // [B, Hq, T, Dh], causal
        x = x + _output.forward(attended.transpose(1, 2).reshape(batch, length, hidden));
        var mlpInput = _postAttentionNorm.forward(x);
        return x + _down.forward(nn.functional.silu(_gate.forward(mlpInput)) * _up.forward(mlpInput)); // [B, T, H]
    }
}
