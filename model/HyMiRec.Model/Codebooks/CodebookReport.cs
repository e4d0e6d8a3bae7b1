using System.Globalization;
using System.Text;
using static TorchSharp.torch;

namespace HyMiRec.Model.Codebooks;

/// <summary>Reconstruction quality and size when only the first <see cref="Layers"/> layers are kept.</summary>
public sealed record CodebookReportRow(
    int Layers, double MeanCosine, double P5Cosine, double MeanSquaredError, double BytesPerItem, double CompressionRatio);

public static class CodebookReport
{
    private const int ChunkRows = 65536;

    /// <summary>One row per layer prefix 1..L. Works through the items in chunks so memory stays bounded.</summary>
    public static IReadOnlyList<CodebookReportRow> Compute(IItemQuantizer quantizer, Tensor embeddings)
    {
        var n = embeddings.shape[0];
        var cosines = Enumerable.Range(0, quantizer.Layers).Select(_ => new List<float>((int)n)).ToArray();
        var squaredError = new double[quantizer.Layers];
        using var noGrad = no_grad();
        for (long start = 0; start < n; start += ChunkRows)
        {
            using var scope = NewDisposeScope();
            var x = embeddings.narrow(0, start, Math.Min(ChunkRows, n - start)).to_type(ScalarType.Float32);
            var items = quantizer.Encode(x);
            for (var l = 1; l <= quantizer.Layers; l++)
            {
                var decoded = quantizer.Decode(items, l);
                cosines[l - 1].AddRange(nn.functional.cosine_similarity(decoded, x, dim: 1).data<float>().ToArray());
                squaredError[l - 1] += decoded.sub(x).square().to_type(ScalarType.Float64).sum().item<double>();
            }
        }

        var floatBytes = quantizer.Dimension * 4.0;
        return [.. Enumerable.Range(1, quantizer.Layers).Select(l =>
        {
            var sorted = cosines[l - 1].ToArray();
            Array.Sort(sorted);
            var bytes = quantizer.GetBytesPerItem(l);
            return new CodebookReportRow(
                l, sorted.Average(v => (double)v), Percentile(sorted, 0.05), squaredError[l - 1] / (n * quantizer.Dimension),
                bytes, floatBytes / bytes);
        })];
    }

    public static string ToMarkdown(IReadOnlyList<CodebookReportRow> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| layers | mean cos | p5 cos | mse | bytes/item | compression |");
        text.AppendLine("|-------:|---------:|-------:|----:|-----------:|------------:|");
        foreach (var r in rows)
        {
            text.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {r.Layers} | {r.MeanCosine:F4} | {r.P5Cosine:F4} | {r.MeanSquaredError:G4} | {r.BytesPerItem:G4} | {r.CompressionRatio:F1}x |"));
        }

        return text.ToString();
    }

    /// <summary>Linear interpolation between closest ranks (numpy's default), on an ascending array.</summary>
    private static double Percentile(float[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
