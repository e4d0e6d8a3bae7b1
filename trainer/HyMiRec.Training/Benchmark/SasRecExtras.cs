using HyMiRec.Model.Codebooks;
using HyMiRec.Model.Data;
using HyMiRec.Model.IO;
using HyMiRec.Training.Training;
using static TorchSharp.torch;

namespace HyMiRec.Training.Benchmark;

/// <summary>
/// After SASRec trains: optionally export its item embeddings, and evaluate it again with every item embedding
/// replaced by its cosine-residual-codebook reconstruction (what the serving side stores per item).
/// </summary>
public static class SasRecExtras
{
    public const int CodebookLayers = 3;
    public const int CodebookCodes = 256;

    public static IEnumerable<BenchmarkRow> Run(SasRecRecommender sasrec, LeaveOneOutSplit split, BenchmarkSettings settings, double trainSeconds, ITrainingReporter reporter)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var items = sasrec.Model.ItemEmbeddings.detach()[1..].contiguous(); // [N, D]
        var (count, dimension) = ((int)items.shape[0], (int)items.shape[1]);
        if (settings.ExportEmbeddings is { } path)
        {
            NpyFile.WriteFloat32Matrix(path, items.data<float>().ToArray(), count, dimension);
            reporter.Message(sasrec.Name, $"wrote {count}x{dimension} item embeddings to {path}");
        }

        // k-means needs at least as many items as codes, which small catalogs brought by users may not have.
        var codes = Math.Min(CodebookCodes, count);
        var options = new ResidualQuantizerOptions { Layers = CodebookLayers, Codes = codes, Seed = settings.Seed };
        using var codebook = CosineResidualCodebook.Train(items, options);
        var decoded = codebook.Decode(codebook.Encode(items)); // [N, D]
        var table = cat([zeros(1, dimension), decoded], 0); // [N + 1, D]
        var name = $"sasrec+codebook({CodebookLayers}x{codes})";
        var row = BenchmarkRunner.Row(name, new DecodedItems(sasrec, table), RowSettings.OfDecoded(sasrec, codebook), split, settings, trainSeconds,
            note: $"SASRec with item embeddings replaced by cosine residual codebook decodes ({codebook.BytesPerItem} bytes/item)");
        reporter.Message(name, $"test recall@10 {row.Metric("recall@10"):F4}");
        return [row];
    }

    private sealed class DecodedItems(SasRecRecommender sasrec, Tensor table) : IRecommender
    {
        public string Name => sasrec.Name;

        public long ParameterCount => sasrec.ParameterCount;

        public void Fit(LeaveOneOutSplit split, ITrainingReporter reporter) =>
            throw new NotSupportedException("decoded-item SASRec reuses a trained model");

        public Tensor Score(IReadOnlyList<int[]> inputs) => sasrec.ScoreWith(inputs, table);
    }
}
