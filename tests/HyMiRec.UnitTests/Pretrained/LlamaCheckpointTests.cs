using HyMiRec.Model.Pretrained;

using HyMiRec.Testing.Pretrained;

namespace HyMiRec.UnitTests.Pretrained;

public sealed class LlamaCheckpointTests
{
    [Fact]
    public void Hand_worked_texts_encode_with_merges_between_bos_and_eos()
    {
        using var dir = new TempDirectory();
        var model = TinyLlama.Write(dir.Path);
        var tokenizer = LlamaCheckpoint.Open(dir.Path).Tokenizer;
        Assert.Equal(1, tokenizer.BeginId);
        Assert.Equal(2, tokenizer.EndId);

        // "▁ab▁ca": ▁+a (score -1) first, then ▁a+b = ▁ab (-2), then c+a = ca (-3); the lone ▁ stays.
        Assert.Equal([1, model.Id("▁ab"), model.Id("▁"), model.Id("ca"), 2], tokenizer.Encode("ab ca", 16));

        // "▁the▁cab": ca (-3), ▁t (-4), he (-5), then ▁t+he = ▁the (-6); "ab" is no piece, so b stays alone.
        Assert.Equal([1, model.Id("▁the"), model.Id("▁"), model.Id("ca"), model.Id("b"), 2], tokenizer.Encode("the cab", 16));

        // Truncation drops pieces, never the markers.
        Assert.Equal([1, model.Id("▁the"), model.Id("▁"), 2], tokenizer.Encode("the cab", 4));
        Assert.Equal([1, 2], tokenizer.Encode("the cab", 2));
        Assert.Equal([1, 2], tokenizer.Encode(string.Empty, 8));
    }

    [Fact]
    public void Config_is_read_and_unsupported_settings_are_refused()
    {
        using var dir = new TempDirectory();
        var model = TinyLlama.Write(dir.Path);
        var config = LlamaCheckpoint.Open(dir.Path).Config;
        Assert.Equal(new LlamaConfig(16, 40, 2, 4, 2, 1e-5, 500, model.VocabularySize), config);

        TinyLlama.WriteConfig(dir.Path, new Dictionary<string, object?> { ["num_key_value_heads"] = null, ["rope_theta"] = null });
        Assert.Equal(4, LlamaCheckpoint.Open(dir.Path).Config.KeyValueHeads);

        TinyLlama.WriteConfig(dir.Path, new Dictionary<string, object?> { ["rope_scaling"] = new { type = "dynamic", factor = 2.0 } });
        Assert.Contains("rope_scaling", Assert.Throws<InvalidDataException>(() => LlamaCheckpoint.Open(dir.Path)).Message, StringComparison.Ordinal);

        TinyLlama.WriteConfig(dir.Path, new Dictionary<string, object?> { ["model_type"] = "gpt2" });
        Assert.Contains("gpt2", Assert.Throws<InvalidDataException>(() => LlamaCheckpoint.Open(dir.Path)).Message, StringComparison.Ordinal);

        TinyLlama.WriteConfig(dir.Path, new Dictionary<string, object?> { ["num_key_value_heads"] = 3 });
        Assert.Contains("num_key_value_heads", Assert.Throws<InvalidDataException>(() => LlamaCheckpoint.Open(dir.Path)).Message, StringComparison.Ordinal);

        TinyLlama.WriteConfig(dir.Path, new Dictionary<string, object?>());
        File.Delete(Path.Combine(dir.Path, LlamaCheckpoint.TokenizerFile));
        var missing = Assert.Throws<FileNotFoundException>(() => LlamaCheckpoint.Open(dir.Path));
        Assert.Contains(Path.Combine(dir.Path, LlamaCheckpoint.TokenizerFile), missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_follows_the_files_not_the_path()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        using var other = new TempDirectory();
        TinyLlama.Write(first.Path, seed: 5);
        TinyLlama.Write(second.Path, seed: 5);
        TinyLlama.Write(other.Path, seed: 6);
        var fingerprint = LlamaCheckpoint.Open(first.Path).Fingerprint;
        Assert.Matches("^[0-9a-f]{64}$", fingerprint);
        Assert.Equal(fingerprint, LlamaCheckpoint.Open(second.Path).Fingerprint);
        Assert.NotEqual(fingerprint, LlamaCheckpoint.Open(other.Path).Fingerprint);

        TinyLlama.WriteConfig(second.Path, new Dictionary<string, object?> { ["rms_norm_eps"] = 1e-6 });
        Assert.NotEqual(fingerprint, LlamaCheckpoint.Open(second.Path).Fingerprint);
    }
}
