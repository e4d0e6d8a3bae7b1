using HyMiRec.Model.Modules;
using HyMiRec.Model.Pretrained;

using HyMiRec.Testing.Pretrained;

namespace HyMiRec.UnitTests.Pretrained;

/// <summary>What a LLaMA 3 checkpoint adds: a byte-level BPE tokenizer.json and "llama3" rotary scaling.</summary>
public sealed class Llama3CheckpointTests
{
    private static readonly object Llama3Scaling = new
    {
        rope_type = "llama3",
        factor = 8.0,
        low_freq_factor = 1.0,
        high_freq_factor = 4.0,
        original_max_position_embeddings = 256,
    };

    [Fact]
    public void Tokenizer_json_encodes_hand_worked_texts_between_the_config_markers()
    {
        using var dir = new TempDirectory();
        var model = TinyLlama.Write(dir.Path, tokenizerJson: true);
        var tokenizer = LlamaCheckpoint.Open(dir.Path).Tokenizer;
        var (begin, end) = (model.Id("<|begin_of_text|>"), model.Id("<|end_of_text|>"));
        Assert.Equal((begin, end), (tokenizer.BeginId, tokenizer.EndId));

        // LLaMA 3's split gives "hi" | " there" | " " | "42" | "é". With ignore_merges " there" is the whole-word token;
        // the rest go through the merges (h+i) or stay bytes: space 32, '4' 52, '2' 50, é = UTF-8 C3 A9.
        int[] tail = [32, 52, 50, 0xC3, 0xA9, end];
        Assert.Equal([begin, model.Id("hi"), model.Id("Ġthere"), .. tail], tokenizer.Encode("hi there 42é", 32));

        // Without ignore_merges, " there" is merged by rank: Ġ+t, h+e, Ġt+he, r+e, as the merges list orders them.
        TokenizerJsonWriter.Write(Path.Combine(dir.Path, "tokenizer.json"), ignoreMerges: false);
        Assert.Equal([begin, model.Id("hi"), model.Id("Ġthe"), model.Id("re"), .. tail], LlamaCheckpoint.Open(dir.Path).Tokenizer.Encode("hi there 42é", 32));

        // Newer files write each merge as a pair; " cat" = Ġc+a, then t alone.
        TokenizerJsonWriter.Write(Path.Combine(dir.Path, "tokenizer.json"), ignoreMerges: false, mergesAsPairs: true);
        tokenizer = LlamaCheckpoint.Open(dir.Path).Tokenizer;
        Assert.Equal([begin, model.Id("Ġca"), 't', end], tokenizer.Encode(" cat", 8));

        // A ByteLevel step that splits by itself (GPT-2's regex) and adds a prefix space: "cat" reads as " cat".
        TokenizerJsonWriter.Write(Path.Combine(dir.Path, "tokenizer.json"), preTokenizer: new { type = "ByteLevel", add_prefix_space = true, use_regex = true });
        Assert.Equal([begin, model.Id("Ġca"), 't', end], LlamaCheckpoint.Open(dir.Path).Tokenizer.Encode("cat", 8));

        // A special token's text is only text, and truncation keeps both markers.
        var injected = tokenizer.Encode("<|end_of_text|>", 64);
        Assert.True(injected.Length > 3);
        Assert.Equal([begin, end], injected.Where(id => id == begin || id == end));
        Assert.Equal([begin, model.Id("hi"), end], tokenizer.Encode("hi there", 3));
    }

    [Fact]
    public void Unusable_tokenizer_json_files_and_configs_fail_with_clear_errors()
    {
        using var dir = new TempDirectory();
        TinyLlama.Write(dir.Path, tokenizerJson: true);
        var json = Path.Combine(dir.Path, "tokenizer.json");

        TokenizerJsonWriter.Write(json, preTokenizer: new { type = "Metaspace", replacement = "▁" });
        Assert.Contains("tokenizer.model", Assert.Throws<InvalidDataException>(() => LlamaCheckpoint.Open(dir.Path)).Message, StringComparison.Ordinal);

        File.WriteAllText(json, File.ReadAllText(json).Replace("\"BPE\"", "\"Unigram\"", StringComparison.Ordinal));
        Assert.Contains("Unigram", Assert.Throws<InvalidDataException>(() => LlamaCheckpoint.Open(dir.Path)).Message, StringComparison.Ordinal);

        TokenizerJsonWriter.Write(json);
        File.WriteAllText(json, File.ReadAllText(json).Replace("\"\\u0120\":32,", string.Empty, StringComparison.Ordinal));
        Assert.Contains("U+0120", Assert.Throws<InvalidDataException>(() => LlamaCheckpoint.Open(dir.Path)).Message, StringComparison.Ordinal);

        File.WriteAllText(json, "{ not json");
        Assert.Contains(json, Assert.Throws<InvalidDataException>(() => LlamaCheckpoint.Open(dir.Path)).Message, StringComparison.Ordinal);

        TokenizerJsonWriter.Write(json);
        TinyLlama.WriteConfig(dir.Path, new Dictionary<string, object?> { ["vocab_size"] = 300 });
        Assert.Contains("bos_token_id", Assert.Throws<InvalidDataException>(() => LlamaCheckpoint.Open(dir.Path)).Message, StringComparison.Ordinal);

        TinyLlama.WriteConfig(dir.Path, new Dictionary<string, object?> { ["vocab_size"] = 200, ["bos_token_id"] = 1, ["eos_token_id"] = 2 });
        Assert.Contains("outside", Assert.Throws<InvalidDataException>(() => LlamaCheckpoint.Open(dir.Path)).Message, StringComparison.Ordinal);

        TinyLlama.WriteConfig(dir.Path, new Dictionary<string, object?> { ["vocab_size"] = 300, ["bos_token_id"] = 1, ["eos_token_id"] = 999 });
        Assert.Contains("eos_token_id", Assert.Throws<InvalidDataException>(() => LlamaCheckpoint.Open(dir.Path)).Message, StringComparison.Ordinal);

        TinyLlama.WriteConfig(dir.Path, new Dictionary<string, object?> { ["vocab_size"] = 300, ["bos_token_id"] = 1, ["eos_token_id"] = 2 });
        File.Delete(json);
        Assert.Contains("tokenizer.json", Assert.Throws<FileNotFoundException>(() => LlamaCheckpoint.Open(dir.Path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rotary_scaling_rates_match_hand_worked_values_in_every_band()
    {
        // Dh = 8, theta 10^4: rates 1, 0.1, 0.01, 0.001, wavelengths 2 pi / rate = 6.28, 62.8, 628, 6283.
        // llama3 with context 1024, low 1, high 4: wavelengths under 256 keep their rate, over 1024 divide by 8,
        // and 628 blends: b = (1024 / 628.32 - 1) / 3 = 0.20992, rate = (1 - b) 0.01 / 8 + b 0.01 = 0.0030868.
        var llama3 = new RopeScaling(RopeScaling.Llama3, 8, 1, 4, 1024);
        var rates = RopeScaling.InverseFrequencies(8, 10000, llama3);
        double[] expected = [1, 0.1, 0.0030868, 0.000125];
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], rates[i], 1e-6);
        }

        Assert.Equal([1, 0.1, 0.01, 0.001], RopeScaling.InverseFrequencies(8, 10000, null).Select(r => Math.Round(r, 12)));
        Assert.Equal([0.5, 0.05, 0.005, 0.0005], RopeScaling.InverseFrequencies(8, 10000, new RopeScaling(RopeScaling.Linear, 2, 0, 0, 0)).Select(r => Math.Round(r, 12)));
    }

    [Fact]
    public void Rope_scaling_settings_are_read_and_unknown_kinds_refused()
    {
        using var dir = new TempDirectory();
        TinyLlama.Write(dir.Path, ropeScaling: Llama3Scaling);
        Assert.Equal(new RopeScaling(RopeScaling.Llama3, 8, 1, 4, 256), LlamaCheckpoint.Open(dir.Path).Config.RopeScaling);

        TinyLlama.WriteConfig(dir.Path, new Dictionary<string, object?> { ["rope_scaling"] = new { type = "linear", factor = 2.0 } });
        Assert.Equal(new RopeScaling(RopeScaling.Linear, 2, 0, 0, 0), LlamaCheckpoint.Open(dir.Path).Config.RopeScaling);

        TinyLlama.WriteConfig(dir.Path, new Dictionary<string, object?> { ["rope_scaling"] = new { rope_type = "default" } });
        Assert.Null(LlamaCheckpoint.Open(dir.Path).Config.RopeScaling);

        TinyLlama.WriteConfig(dir.Path, new Dictionary<string, object?> { ["rope_scaling"] = new { rope_type = "yarn", factor = 4.0 } });
        Assert.Contains("yarn", Assert.Throws<InvalidDataException>(() => LlamaCheckpoint.Open(dir.Path)).Message, StringComparison.Ordinal);

        TinyLlama.WriteConfig(dir.Path, new Dictionary<string, object?> { ["rope_scaling"] = new { rope_type = "llama3", factor = 8.0 } });
        Assert.Contains("low_freq_factor", Assert.Throws<InvalidDataException>(() => LlamaCheckpoint.Open(dir.Path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_llama3_style_checkpoint_encodes_like_the_loop_by_loop_reference_with_scaled_rotations()
    {
        // Dh = 4 at theta 500: rates 1 and 0.04472 (wavelength 140.5, inside [64, 256]), so the second blends:
        // b = (256 / 140.496 - 1) / 3 = 0.274037, rate = (1 - b) 0.04472 / 8 + b 0.04472 = 0.0163136.
        double[] scaled = [1, 0.0163136];
        using var dir = new TempDirectory();
        using var plain = new TempDirectory();
        var model = TinyLlama.Write(dir.Path, seed: 41, tokenizerJson: true, ropeScaling: Llama3Scaling, frequencies: scaled);
        TinyLlama.Write(plain.Path, seed: 41, tokenizerJson: true);
        var checkpoint = LlamaCheckpoint.Open(dir.Path);
        string[] texts = ["", "hi there 42é", " cat hi", "the care", "x"];
        using var encoder = LlamaTextEncoder.Load(checkpoint);
        using var features = PretrainedTextFeatures.Compute(encoder, checkpoint.Tokenizer, texts, 16, 2);
        using var plainEncoder = LlamaTextEncoder.Load(LlamaCheckpoint.Open(plain.Path));
        using var plainFeatures = PretrainedTextFeatures.Compute(plainEncoder, checkpoint.Tokenizer, texts, 16, 2);
        var rows = Rows(features);
        for (var i = 1; i < texts.Length; i++)
        {
            var expected = LlamaReference.LastHidden(model, checkpoint.Tokenizer.Encode(texts[i], 16));
            for (var j = 0; j < TinyLlama.Hidden; j++)
            {
                Assert.True(Math.Abs(expected[j] - rows[i][j]) < 1e-4, $"text {i} dim {j}: reference {expected[j]}, encoder {rows[i][j]}");
            }
        }

        // The scaling matters: the same weights with plain rotations give other features for multi-token texts.
        var unscaled = Rows(plainFeatures);
        Assert.True(rows[1].Zip(unscaled[1]).Sum(p => Math.Abs(p.First - p.Second)) > 1e-3);
    }

    private static float[][] Rows(TorchSharp.torch.Tensor features) =>
        [.. Enumerable.Range(0, (int)features.shape[0]).Select(i => features[i].data<float>().ToArray())];
}
