using HyMiRec.Model.Codebooks;
using static TorchSharp.torch;

namespace HyMiRec.UnitTests.Codebooks;

public sealed class EuclideanResidualQuantizerTests
{
    [Fact]
    public void Mean_squared_error_falls_with_each_layer()
    {
        using var scope = NewDisposeScope();
        var x = SyntheticEmbeddings.Generate(600, 16, seed: 5);
        using var quantizer = EuclideanResidualQuantizer.Train(x, new ResidualQuantizerOptions { Layers = 3, Codes = 16, Iterations = 6 });
        var report = CodebookReport.Compute(quantizer, x);

        Assert.True(report[1].MeanSquaredError < report[0].MeanSquaredError);
        Assert.True(report[2].MeanSquaredError < report[1].MeanSquaredError);
        Assert.Equal(3, quantizer.BytesPerItem);
    }

    [Fact]
    public void Decode_is_the_sum_of_chosen_centroids_without_magnitudes()
    {
        using var scope = NewDisposeScope();
        var x = SyntheticEmbeddings.Generate(300, 8, seed: 6);
        using var quantizer = EuclideanResidualQuantizer.Train(x, new ResidualQuantizerOptions { Layers = 2, Codes = 8, Iterations = 4 });
        var items = quantizer.Encode(x);
        var decoded = quantizer.Decode(items);
        var residual = quantizer.Residual(x, 2);

        Assert.Null(items.Magnitudes);
        Assert.True(decoded.add(residual).sub(x).abs().max().item<float>() < 1e-5f);
        var first = quantizer.Centroids[0][items.GetCode(7, 0)].add(quantizer.Centroids[1][items.GetCode(7, 1)]);
        Assert.True(decoded[7].sub(first).abs().max().item<float>() < 1e-6f);
    }
}
