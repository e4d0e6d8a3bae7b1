using System.Diagnostics;
using HyMiRec.Model.Data;
using HyMiRec.Model.Interests;
using HyMiRec.Model.Pretrained;
using HyMiRec.Model.Serving;
using HyMiRec.Model.Text;
using static TorchSharp.torch;

namespace HyMiRec.Training.Training;

/// <summary>
/// What HyMiRec's item tower reads for the catalog: token ids of each item's text under a tokenizer built from the
/// catalog (or the warm start's), or frozen features of a pretrained LLaMA checkpoint with its stamp for the artifact.
/// </summary>
internal static class ItemTextInput
{
    /// <param name="checkpoint">Needed with <see cref="TextSource.Pretrained"/>; its fingerprint must match the warm start's.</param>
    /// <returns>The tokens [N+1, T] or features [N+1, H], the tokenizer (catalog text) or the checkpoint's stamp (pretrained).</returns>
    public static (Tensor Tokens, CatalogTokenizer? Tokenizer, InterestModelStore.TextModelStamp? TextModel) Load(string name, InteractionDataset dataset, HyMiRecOptions options, int featureBatch,
        WarmStart? warm, LlamaCheckpoint? checkpoint, ITrainingReporter reporter)
    {
        if (options.TextSource != TextSource.Pretrained)
        {
            var tokenizer = warm?.Tokenizer ?? CatalogTokenizer.Build(dataset.ItemTexts.Skip(1));
            var ids = tensor(tokenizer.Encode(dataset.ItemTexts, options.MaxTextTokens), [dataset.ItemCount + 1, options.MaxTextTokens]); // [N+1, T]
            return (ids, tokenizer, null);
        }

        var llama = checkpoint ?? throw new InvalidOperationException($"{name} uses pretrained text features: give the LLaMA checkpoint directory (--text-model)");
        var directory = llama.Directory;
        var clock = Stopwatch.StartNew();
        if (llama.Config.HiddenSize != options.PretrainedTextWidth)
        {
            throw new InvalidDataException($"{directory}: hidden size {llama.Config.HiddenSize}, the model expects text features of width {options.PretrainedTextWidth}");
        }

        if (warm?.TextModelFingerprint is { } expected && expected != llama.Fingerprint)
        {
            throw new InvalidDataException($"{directory}: checkpoint fingerprint {llama.Fingerprint} differs from {expected}, " +
                "the one the warm-start version's text features came from");
        }

        var (features, computed) = llama.TextFeatures(dataset.ItemTexts, options.MaxTextTokens, featureBatch); // [N+1, H]
        var how = computed ? "in" : "reused from the previous model of this run,";
        reporter.Message(name, $"text features from {directory}: {dataset.ItemCount} items x {llama.Config.HiddenSize} {how} {clock.Elapsed.TotalSeconds:F1} s");
        return (features, null, new InterestModelStore.TextModelStamp(llama.Fingerprint, llama.Name));
    }
}
