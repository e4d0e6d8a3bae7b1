using HyMiRec.Model.Codebooks;
using static TorchSharp.torch;

namespace HyMiRec.UnitTests.Codebooks;

public sealed class CosineResidualCodebookTests
{
    private static readonly ResidualQuantizerOptions Options = new() { Layers = 3, Codes = 16, Iterations = 6, Seed = 11 };

    [Fact]
    public void Residual_after_each_layer_is_orthogonal_to_the_chosen_centroid_and_never_grows()
    {
        using var scope = NewDisposeScope();
        var x = SyntheticEmbeddings.Generate(600, 16, seed: 1).mul(3);
        using var codebook = CosineResidualCodebook.Train(x, Options);
        var items = codebook.Encode(x);
        var codes = items.CodesTensor(3);

        for (var l = 1; l <= 3; l++)
        {
            var before = codebook.Residual(x, l - 1);
            var after = codebook.Residual(x, l);
            var chosen = codebook.Centroids[l - 1].index_select(0, codes[.., l - 1]);
            var dots = after.mul(chosen).sum(1).abs();
            var scale = before.norm(1).clamp_min(1e-6f);
            Assert.True(dots.div(scale).max().item<float>() < 1e-4f, $"layer {l}: residual not orthogonal");
            Assert.True(after.norm(1).sub(before.norm(1)).max().item<float>() <= 1e-5f, $"layer {l}: a residual grew");
        }
    }

    [Fact]
    public void Mean_cosine_does_not_fall_as_layers_are_added()
    {
        using var scope = NewDisposeScope();
        var x = SyntheticEmbeddings.Generate(600, 16, seed: 2);
        using var codebook = CosineResidualCodebook.Train(x, Options);
        var report = CodebookReport.Compute(codebook, x);

        Assert.Equal([1, 2, 3], report.Select(r => r.Layers));
        for (var l = 1; l < report.Count; l++)
        {
            Assert.True(report[l].MeanCosine >= report[l - 1].MeanCosine - 1e-6, $"cosine fell at layer {l + 1}");
            Assert.True(report[l].MeanSquaredError <= report[l - 1].MeanSquaredError + 1e-9);
        }

        Assert.True(report[0].MeanCosine > 0.8);
        Assert.True(report[^1].P5Cosine <= report[^1].MeanCosine);
        Assert.Equal(16 * 4 / 9.0, report[^1].CompressionRatio, 6);
    }

    [Fact]
    public void Decoding_the_encoding_of_a_scaled_centroid_is_almost_exact()
    {
        using var scope = NewDisposeScope();
        var x = SyntheticEmbeddings.Generate(600, 16, seed: 3);
        using var codebook = CosineResidualCodebook.Train(x, Options);
        var centroids = codebook.Centroids[0].narrow(0, 0, 4).mul(2.5f);

        var items = codebook.Encode(centroids);
        var decoded = codebook.Decode(items);

        Assert.Equal([0, 1, 2, 3], Enumerable.Range(0, 4).Select(i => items.GetCode(i, 0)));
        Assert.True(decoded.sub(centroids).abs().max().item<float>() < 1e-3f);
        Assert.Equal((Half)2.5f, items.Magnitudes![0]);
    }

    [Fact]
    public void Encoding_uses_compact_codes_and_half_magnitudes()
    {
        using var scope = NewDisposeScope();
        var x = SyntheticEmbeddings.Generate(300, 8, seed: 4);
        using var codebook = CosineResidualCodebook.Train(x, Options with { Iterations = 2 });
        var items = codebook.Encode(x);

        Assert.Equal(9, new CosineResidualCodebook(zeros(3, 256, 8).add_(1)).BytesPerItem);
        Assert.Equal(12, new CosineResidualCodebook(zeros(3, 300, 8).add_(1)).BytesPerItem);
        Assert.Equal(300 * 3, items.PackedCodes.Length);
        Assert.Equal(300 * 3, items.Magnitudes!.Length);
        Assert.Equal(3 * (1 + 2), items.BytesPerItem);
        Assert.Equal(3, codebook.GetBytesPerItem(1));
    }

    [Fact]
    public void Two_byte_codes_round_trip_through_packing()
    {
        using var scope = NewDisposeScope();
        var codes = tensor(new long[] { 0, 299, 256, 1 }, [2, 2]);
        var items = QuantizedItems.FromTensors(codes, null, codeCount: 300);

        Assert.Equal(2, items.CodeWidth);
        Assert.Equal([0, 299, 256, 1], new[] { items.GetCode(0, 0), items.GetCode(0, 1), items.GetCode(1, 0), items.GetCode(1, 1) });
        Assert.Equal(new long[] { 0, 299, 256, 1 }, items.CodesTensor(2).data<long>().ToArray());
    }
}
