using System.Text.Json;

namespace HyMiRec.Model.Pretrained;

/// <summary>
/// The sizes of a Hugging Face LLaMA checkpoint, from its config.json, with its rotary scaling and the BOS and EOS
/// ids the model was trained with (a tokenizer.json names no markers of its own).
/// </summary>
public sealed record LlamaConfig(
    int HiddenSize, int IntermediateSize, int Layers, int Heads, int KeyValueHeads, double RmsNormEpsilon, double RopeTheta, int VocabularySize,
    RopeScaling? RopeScaling = null, int? BeginTokenId = null, int? EndTokenId = null)
{
    public int HeadDimension => HiddenSize / Heads;

    public static LlamaConfig Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: config.json of the LLaMA checkpoint not found", path);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return Parse(path, document.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: not a usable LLaMA config: {e.Message}", e);
        }
    }

    private static LlamaConfig Parse(string path, JsonElement root)
    {
        var type = root.TryGetProperty("model_type", out var t) ? t.GetString() : null;
        if (type != "llama")
        {
            throw new InvalidDataException($"{path}: model_type is '{type}', only 'llama' checkpoints are supported");
        }

        // These change the network's arithmetic; loading such a checkpoint into plain LLaMA would give wrong features silently.
        if (root.TryGetProperty("hidden_act", out var act) && act.GetString() != "silu")
        {
            throw new InvalidDataException($"{path}: hidden_act '{act.GetString()}' is not supported (only silu)");
        }

        foreach (var bias in (string[])["attention_bias", "mlp_bias"])
        {
            if (root.TryGetProperty(bias, out var b) && b.ValueKind == JsonValueKind.True)
            {
                throw new InvalidDataException($"{path}: {bias} is true; only bias-free LLaMA projections are supported");
            }
        }

        int Int(string key) => root.TryGetProperty(key, out var v) ? v.GetInt32()
            : throw new InvalidDataException($"{path}: config lacks '{key}'");
        var heads = Int("num_attention_heads");
        var config = new LlamaConfig(
            Int("hidden_size"),
            Int("intermediate_size"),
            Int("num_hidden_layers"),
            heads,
            root.Optional("num_key_value_heads")?.GetInt32() ?? heads,
            root.Optional("rms_norm_eps")?.GetDouble() ?? 1e-6,
            root.Optional("rope_theta")?.GetDouble() ?? 10000,
            Int("vocab_size"),
            RopeScaling.Parse(path, root.Optional("rope_scaling")),
            TokenId(path, root, "bos_token_id"),
            TokenId(path, root, "eos_token_id"));
        config.Validate(path);
        if (root.Optional("head_dim")?.GetInt32() is { } headDim && headDim != config.HeadDimension)
        {
            throw new InvalidDataException($"{path}: head_dim {headDim} differs from hidden_size / num_attention_heads = {config.HeadDimension}; not supported");
        }

        return config;
    }

    /// <summary>An id, or the first of a list (instruct models list several EOS ids; the first ends a text).</summary>
    private static int? TokenId(string path, JsonElement root, string key) => root.Optional(key) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } id => id.GetInt32(),
        { ValueKind: JsonValueKind.Array } ids when ids.GetArrayLength() > 0 => ids[0].GetInt32(),
        var other => throw new InvalidDataException($"{path}: {key} must be an id or a list of ids, got {other.Value.GetRawText()}"),
    };

    private void Validate(string path)
    {
        if (HiddenSize <= 0 || IntermediateSize <= 0 || Layers <= 0 || Heads <= 0 || KeyValueHeads <= 0 || VocabularySize <= 0)
        {
            throw new InvalidDataException($"{path}: sizes must be positive");
        }

        if (HiddenSize % Heads != 0 || HeadDimension % 2 != 0 || Heads % KeyValueHeads != 0)
        {
            throw new InvalidDataException($"{path}: hidden_size {HiddenSize} must split into {Heads} heads of even width, " +
                $"and num_attention_heads must be a multiple of num_key_value_heads ({KeyValueHeads})");
        }

        if (RmsNormEpsilon <= 0 || RopeTheta <= 1)
        {
            throw new InvalidDataException($"{path}: rms_norm_eps must be positive and rope_theta above 1");
        }

        foreach (var (key, id) in (ReadOnlySpan<(string, int?)>)[("bos_token_id", BeginTokenId), ("eos_token_id", EndTokenId)])
        {
            if (id is < 0 || id >= VocabularySize)
            {
                throw new InvalidDataException($"{path}: {key} {id} lies outside the vocabulary of {VocabularySize}");
            }
        }
    }
}
