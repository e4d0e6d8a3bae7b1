using System.Text.Json;

namespace HyMiRec.Testing.Pretrained;

/// <summary>
/// A tiny LLaMA checkpoint written by the test itself: config.json, a SentencePiece BPE tokenizer.model (or a LLaMA 3
/// style tokenizer.json) and
/// model.safetensors with seeded random weights in mixed dtypes (mostly F32; some BF16 and F16, as real
/// checkpoints store them). <see cref="Stored"/> gives each weight as the file holds it, for reference maths.
/// </summary>
public sealed class TinyLlama
{
    public const int Hidden = 16;
    public const int Intermediate = 40;
    public const int Layers = 2;
    public const int Heads = 4;
    public const int KeyValueHeadsWritten = 2;
    public const double Epsilon = 1e-5;
    public const double Theta = 500;

    /// <summary>Merged pieces with scores above every single character, so BPE applies them (best score first).</summary>
    public static readonly (string Piece, float Score)[] Merges = [("▁a", -1), ("▁ab", -2), ("ca", -3), ("▁t", -4), ("he", -5), ("▁the", -6)];

    private const string Characters = "▁abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789()|,.-':&!?";

    private static readonly Dictionary<string, string> DTypes = new(StringComparer.Ordinal)
    {
        ["model.embed_tokens.weight"] = "BF16",
        ["model.layers.0.mlp.down_proj.weight"] = "F16",
        ["model.layers.1.self_attn.k_proj.weight"] = "BF16",
        ["model.layers.1.input_layernorm.weight"] = "F16",
    };

    private TinyLlama(string directory, int keyValueHeads, string[] pieces, Dictionary<string, TensorToWrite> tensors, double[] frequencies)
    {
        Directory = directory;
        KeyValueHeads = keyValueHeads;
        Pieces = pieces;
        Tensors = tensors;
        Frequencies = frequencies;
    }

    public string Directory { get; }

    public int KeyValueHeads { get; }

    public string[] Pieces { get; }

    public IReadOnlyDictionary<string, TensorToWrite> Tensors { get; }

    /// <summary>The rotary rate of each of the Dh/2 dimension pairs, scaled when the config has rope_scaling.</summary>
    public double[] Frequencies { get; }

    public int VocabularySize => Pieces.Length;

    public static int HeadDimension => Hidden / Heads;

    /// <param name="expandKeyValueHeads">
    /// Write the same model with every kv head repeated in place (Heads kv heads), which must compute exactly what the
    /// grouped-query original does.
    /// </param>
    /// <param name="tokenizerJson">Write a byte-level tokenizer.json (and BOS/EOS ids in config.json) instead of tokenizer.model.</param>
    /// <param name="ropeScaling">rope_scaling written to config.json, with <paramref name="frequencies"/> its expected rates.</param>
    public static TinyLlama Write(string directory, int seed = 1, bool expandKeyValueHeads = false, bool tokenizerJson = false,
        object? ropeScaling = null, double[]? frequencies = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        var keyValueHeads = expandKeyValueHeads ? Heads : KeyValueHeadsWritten;
        var config = new Dictionary<string, object?> { ["num_key_value_heads"] = keyValueHeads, ["rope_scaling"] = ropeScaling };
        string[] pieces;
        if (tokenizerJson)
        {
            pieces = TokenizerJsonWriter.Write(Path.Combine(directory, "tokenizer.json"));
            config["vocab_size"] = pieces.Length;
            config["bos_token_id"] = Array.IndexOf(pieces, TokenizerJsonWriter.Specials[0]);
            config["eos_token_id"] = new[] { Array.IndexOf(pieces, TokenizerJsonWriter.Specials[1]) };
        }
        else
        {
            pieces = SentencePieceModelWriter.Write(Path.Combine(directory, "tokenizer.model"),
                [.. Merges, .. Characters.Select((c, i) => (c.ToString(), -10f - (i * 0.01f)))]);
        }

        WriteConfig(directory, config);

        var random = new Random(seed);
        var tensors = new List<TensorToWrite>();
        void Add(string name, float[] values, params long[] shape) =>
            tensors.Add(new TensorToWrite(name, DTypes.GetValueOrDefault(name, "F32"), shape, values));
        float[] Matrix(int rows, int columns, double scale) =>
            [.. Enumerable.Range(0, rows * columns).Select(_ => (float)(((random.NextDouble() * 2) - 1) * scale / Math.Sqrt(columns)))];
        float[] Norm(int size) => [.. Enumerable.Range(0, size).Select(_ => (float)(1 + ((random.NextDouble() - 0.5) * 0.4)))];

        Add("model.embed_tokens.weight", Matrix(pieces.Length, Hidden, 4), pieces.Length, Hidden);
        var keyValue = KeyValueHeadsWritten * HeadDimension;
        for (var l = 0; l < Layers; l++)
        {
            var prefix = $"model.layers.{l}.";
            Add(prefix + "input_layernorm.weight", Norm(Hidden), Hidden);
            Add(prefix + "self_attn.q_proj.weight", Matrix(Hidden, Hidden, 3), Hidden, Hidden);
            var key = Matrix(keyValue, Hidden, 3);
            var value = Matrix(keyValue, Hidden, 2);
            Add(prefix + "self_attn.k_proj.weight", expandKeyValueHeads ? Expand(key) : key, keyValueHeads * HeadDimension, Hidden);
            Add(prefix + "self_attn.v_proj.weight", expandKeyValueHeads ? Expand(value) : value, keyValueHeads * HeadDimension, Hidden);
            Add(prefix + "self_attn.o_proj.weight", Matrix(Hidden, Hidden, 1), Hidden, Hidden);
            Add(prefix + "post_attention_layernorm.weight", Norm(Hidden), Hidden);
            Add(prefix + "mlp.gate_proj.weight", Matrix(Intermediate, Hidden, 2), Intermediate, Hidden);
            Add(prefix + "mlp.up_proj.weight", Matrix(Intermediate, Hidden, 2), Intermediate, Hidden);
            Add(prefix + "mlp.down_proj.weight", Matrix(Hidden, Intermediate, 1), Hidden, Intermediate);
        }

        Add("model.norm.weight", Norm(Hidden), Hidden);
        Add("lm_head.weight", Matrix(pieces.Length, Hidden, 1), pieces.Length, Hidden);
        SafeTensorsWriter.Write(Path.Combine(directory, "model.safetensors"), tensors);
        frequencies ??= [.. Enumerable.Range(0, HeadDimension / 2).Select(i => Math.Pow(Theta, -2.0 * i / HeadDimension))];
        return new TinyLlama(directory, keyValueHeads, pieces, tensors.ToDictionary(t => t.Name, StringComparer.Ordinal), frequencies);
    }

    /// <summary>config.json with the tiny sizes; <paramref name="overrides"/> replace or add keys (null values are written as null).</summary>
    public static void WriteConfig(string directory, IReadOnlyDictionary<string, object?> overrides)
    {
        var config = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["architectures"] = new[] { "LlamaForCausalLM" },
            ["model_type"] = "llama",
            ["hidden_size"] = Hidden,
            ["intermediate_size"] = Intermediate,
            ["num_hidden_layers"] = Layers,
            ["num_attention_heads"] = Heads,
            ["num_key_value_heads"] = KeyValueHeadsWritten,
            ["rms_norm_eps"] = Epsilon,
            ["rope_theta"] = Theta,
            ["rope_scaling"] = null,
            ["hidden_act"] = "silu",
            ["tie_word_embeddings"] = false,
            ["torch_dtype"] = "float32",
            ["vocab_size"] = 3 + Merges.Length + Characters.Length, // <unk>, <s>, </s> and the pieces Write puts in tokenizer.model
        };
        foreach (var (key, value) in overrides)
        {
            config[key] = value;
        }

        File.WriteAllText(Path.Combine(directory, "config.json"), JsonSerializer.Serialize(config));
    }

    public float[] Stored(string name) => Tensors[name].Stored;

    public int Id(string piece)
    {
        var id = Array.IndexOf(Pieces, piece);
        return id >= 0 ? id : throw new ArgumentException($"no piece '{piece}'", nameof(piece));
    }

    /// <summary>Rows of kv head j become kv head j of Heads: each of the 2 written heads repeated in place (HF order).</summary>
    private static float[] Expand(float[] rows)
    {
        var width = HeadDimension * Hidden;
        var groups = Heads / KeyValueHeadsWritten;
        return [.. Enumerable.Range(0, Heads).SelectMany(j => rows.Skip(j / groups * width).Take(width))];
    }
}
