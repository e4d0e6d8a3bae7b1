using HyMiRec.Model.Modules;
using static TorchSharp.torch;

namespace HyMiRec.Model.Pretrained;

/// <summary>
/// Catalog text features from a frozen pretrained LLaMA, computed once before training: the model is a feature
/// extractor here (fine-tuning a billion-parameter model is out of reach on CPU), and the item tower learns a
/// projection of these features instead.
/// </summary>
public static class PretrainedTextFeatures
{
    /// <param name="texts">Item texts by index, entry 0 the padding item.</param>
    /// <param name="maxTokens">Longest token row, BOS and EOS included.</param>
    /// <param name="batchSize">Texts per forward pass.</param>
    /// <returns>[N + 1, H] float32, row 0 all zero.</returns>
    public static Tensor Compute(LlamaTextEncoder encoder, LlamaTextTokenizer tokenizer, IReadOnlyList<string> texts, int maxTokens, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var hidden = encoder.Config.HiddenSize;
        var vocabulary = encoder.Config.VocabularySize;
        var rows = texts.Select(t => tokenizer.Encode(t, maxTokens)).ToArray();
        var bad = rows.SelectMany(r => r).Where(id => id < 0 || id >= vocabulary).Take(1).ToArray();
        if (bad.Length > 0)
        {
            throw new InvalidDataException($"tokenizer id {bad[0]} is outside the model's vocabulary of {vocabulary}: tokenizer and weights do not belong together");
        }

        var features = zeros(texts.Count, hidden); // [N+1, H]
        encoder.eval();
        using var noGrad = no_grad();

        // Texts of similar length share a batch so little attention is spent on padding; results do not depend on it.
        var order = Enumerable.Range(1, texts.Count - 1).OrderBy(i => rows[i].Length).ToArray();
        for (var start = 0; start < order.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var chunk = order[start..Math.Min(order.Length, start + batchSize)];
            var width = chunk.Max(i => rows[i].Length);
            var ids = new long[chunk.Length * width];
            for (var r = 0; r < chunk.Length; r++)
            {
                var row = rows[chunk[r]];
                for (var j = 0; j < row.Length; j++)
                {
                    ids[(r * width) + j] = row[j];
                }
            }

            var lengths = tensor(chunk.Select(i => (long)rows[i].Length).ToArray()); // [b]
            var pooled = encoder.forward(tensor(ids).view(chunk.Length, width), lengths); // [b, H]
            features.index_copy_(0, tensor(chunk.Select(i => (long)i).ToArray()), pooled);
        }

        return features;
    }
}
