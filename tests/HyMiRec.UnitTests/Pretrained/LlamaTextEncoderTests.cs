using HyMiRec.Model.Modules;
using HyMiRec.Model.Pretrained;

using HyMiRec.Testing.Pretrained;

namespace HyMiRec.UnitTests.Pretrained;

public sealed class LlamaTextEncoderTests
{
    // Different lengths, so batches are padded; row 0 is the catalog's padding item.
    private static readonly string[] Texts = ["", "ab ca", "the cab", "a", "Zebra Kamo (1987) | drama", "cab the ab ca b a the", "x"];

    [Fact]
    public void Pooled_features_match_a_loop_by_loop_reference_of_hugging_face_llama()
    {
        using var dir = new TempDirectory();
        var model = TinyLlama.Write(dir.Path, seed: 11);
        var checkpoint = LlamaCheckpoint.Open(dir.Path);
        var features = Features(checkpoint, maxTokens: 12, batchSize: 3);
        Assert.All(features[0], v => Assert.Equal(0f, v));
        for (var i = 1; i < Texts.Length; i++)
        {
            var expected = LlamaReference.LastHidden(model, checkpoint.Tokenizer.Encode(Texts[i], 12));
            for (var j = 0; j < TinyLlama.Hidden; j++)
            {
                Assert.True(Math.Abs(expected[j] - features[i][j]) < 1e-4, $"text {i} dim {j}: reference {expected[j]}, encoder {features[i][j]}");
            }
        }

        // The features tell texts apart (a constant output would pass a loose comparison against itself).
        Assert.True(features[1].Zip(features[2]).Sum(p => Math.Abs(p.First - p.Second)) > 0.1);
    }

    [Fact]
    public void A_checkpoint_runs_the_llm_once_for_repeated_requests_of_the_same_catalog()
    {
        using var dir = new TempDirectory();
        TinyLlama.Write(dir.Path, seed: 13);
        var checkpoint = LlamaCheckpoint.Open(dir.Path);
        var (first, computed) = checkpoint.TextFeatures(Texts, 12, 3);
        Assert.True(computed);
        var expected = first.data<float>().ToArray();
        Assert.Equal(expected, Features(checkpoint, maxTokens: 12, batchSize: 3).SelectMany(r => r));
        first.Dispose(); // the caller's copy; the kept result must survive it

        var (again, recomputed) = checkpoint.TextFeatures([.. Texts], 12, 5);
        Assert.False(recomputed);
        Assert.Equal(expected, again.data<float>().ToArray());

        Assert.True(checkpoint.TextFeatures(Texts, 10, 3).Computed);
        Assert.True(checkpoint.TextFeatures([.. Texts[..^1], "y"], 10, 3).Computed);
        Assert.False(checkpoint.TextFeatures([.. Texts[..^1], "y"], 10, 3).Computed);
    }

    [Fact]
    public void Grouped_query_attention_equals_the_same_weights_with_kv_heads_repeated()
    {
        using var grouped = new TempDirectory();
        using var expanded = new TempDirectory();
        TinyLlama.Write(grouped.Path, seed: 21);
        TinyLlama.Write(expanded.Path, seed: 21, expandKeyValueHeads: true);
        var fromGrouped = Features(LlamaCheckpoint.Open(grouped.Path), maxTokens: 12, batchSize: 4);
        var expandedCheckpoint = LlamaCheckpoint.Open(expanded.Path);
        Assert.Equal(TinyLlama.Heads, expandedCheckpoint.Config.KeyValueHeads);
        var fromExpanded = Features(expandedCheckpoint, maxTokens: 12, batchSize: 4);
        AssertClose(fromGrouped, fromExpanded, 1e-5);
    }

    [Fact]
    public void Padded_batches_give_the_features_of_one_text_at_a_time()
    {
        using var dir = new TempDirectory();
        TinyLlama.Write(dir.Path, seed: 31);
        var checkpoint = LlamaCheckpoint.Open(dir.Path);
        AssertClose(Features(checkpoint, maxTokens: 10, batchSize: 1), Features(checkpoint, maxTokens: 10, batchSize: 16), 1e-5);
    }

    private static float[][] Features(LlamaCheckpoint checkpoint, int maxTokens, int batchSize)
    {
        using var encoder = LlamaTextEncoder.Load(checkpoint);
        using var features = PretrainedTextFeatures.Compute(encoder, checkpoint.Tokenizer, Texts, maxTokens, batchSize);
        Assert.Equal([Texts.Length, TinyLlama.Hidden], features.shape);
        var values = features.data<float>().ToArray();
        return [.. Enumerable.Range(0, Texts.Length).Select(i => values[(i * TinyLlama.Hidden)..((i + 1) * TinyLlama.Hidden)])];
    }

    private static void AssertClose(float[][] expected, float[][] actual, double tolerance)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            for (var j = 0; j < expected[i].Length; j++)
            {
                Assert.True(Math.Abs(expected[i][j] - actual[i][j]) < tolerance, $"text {i} dim {j}: {expected[i][j]} vs {actual[i][j]}");
            }
        }
    }
}
