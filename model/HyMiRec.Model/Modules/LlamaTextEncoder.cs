using HyMiRec.Model.IO;
using HyMiRec.Model.Pretrained;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace HyMiRec.Model.Modules;

/// <summary>
/// A pretrained Hugging Face LLaMA as a text encoder: the final-norm hidden state of each text's last real token.
/// The model is causal, so that position is the only one that has read the whole text. lm_head is not needed.
/// </summary>
public sealed class LlamaTextEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding _embedTokens;
    private readonly ModuleList<LlamaDecoderLayer> _layers;
    private readonly RmsNorm _norm;
    private readonly LlamaConfig _config;
    private readonly double[] _inverseFrequencies;

    public LlamaTextEncoder(LlamaConfig config)
        : base(nameof(LlamaTextEncoder))
    {
        _config = config;
        _inverseFrequencies = RopeScaling.InverseFrequencies(config.HeadDimension, config.RopeTheta, config.RopeScaling);
        _embedTokens = nn.Embedding(config.VocabularySize, config.HiddenSize);
        _layers = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(i => new LlamaDecoderLayer($"layer{i}", config)).ToArray());
        _norm = new RmsNorm("norm", config.HiddenSize, config.RmsNormEpsilon);
        RegisterComponents();
    }

    public LlamaConfig Config => _config;

    /// <summary>An encoder holding <paramref name="checkpoint"/>'s weights, in eval mode.</summary>
    public static LlamaTextEncoder Load(LlamaCheckpoint checkpoint)
    {
        var encoder = new LlamaTextEncoder(checkpoint.Config);
        try
        {
            encoder.LoadWeights(checkpoint.Weights);
        }
        catch
        {
            encoder.Dispose();
            throw;
        }

        encoder.eval();
        return encoder;
    }

    /// <summary>Copies every tensor by its Hugging Face name after checking its shape against the config.</summary>
    public void LoadWeights(SafeTensorsCheckpoint weights)
    {
        using var noGrad = no_grad();
        foreach (var (key, parameter) in Weights())
        {
            var entry = weights.Entry(key);
            if (!entry.Shape.SequenceEqual(parameter.shape))
            {
                throw new InvalidDataException($"{weights.Directory}: tensor '{key}' has shape [{string.Join(", ", entry.Shape)}], " +
                    $"the config needs [{string.Join(", ", parameter.shape)}]");
            }

            using var loaded = weights.ReadFloat32(key);
            parameter.copy_(loaded);
        }
    }

    /// <param name="tokenIds">[B, T] int64, each row BOS + text + EOS, right-padded with any valid id.</param>
    /// <param name="lengths">[B] int64 real tokens per row (at least 1).</param>
    /// <returns>[B, H] final-norm hidden state at position length - 1.</returns>
    public override Tensor forward(Tensor tokenIds, Tensor lengths)
    {
        var (batch, length) = (tokenIds.shape[0], tokenIds.shape[1]);
        var x = _embedTokens.forward(tokenIds); // [B, T, H]
        using var lengthScalar = length.ToScalar(); // held past the native call (see Scalars)
        var positions = arange(lengthScalar, device: tokenIds.device).unsqueeze(0); // [1, T]
        var rotary = RotaryTables.Create(positions, _inverseFrequencies);
        foreach (var layer in _layers)
        {
            x = layer.forward(x, rotary);
        }

        var last = (lengths - Scalars.One).view(batch, 1, 1).expand(batch, 1, _config.HiddenSize); // [B, 1, H]
        return _norm.forward(x.gather(1, last).squeeze(1)); // [B, H]
    }

    private IEnumerable<(string Key, Tensor Parameter)> Weights()
    {
        yield return ("model.embed_tokens.weight", _embedTokens.weight!);
        for (var i = 0; i < _layers.Count; i++)
        {
            foreach (var weight in _layers[i].Weights($"model.layers.{i}."))
            {
                yield return weight;
            }
        }

        yield return ("model.norm.weight", _norm.Scale);
    }
}
