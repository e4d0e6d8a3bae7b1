using static TorchSharp.torch;

namespace HyMiRec.Model.Codebooks;

/// <summary>
/// Standard residual quantisation, the ablation to <see cref="CosineResidualCodebook"/>: each layer picks the
/// nearest centroid (Euclidean) and passes on e - c. Codes only, no magnitudes; Decode = sum of chosen centroids.
/// </summary>
public sealed class EuclideanResidualQuantizer : ResidualQuantizer
{
    public EuclideanResidualQuantizer(Tensor centroids)
        : base(centroids)
    {
    }

    public override QuantizerKind Kind => QuantizerKind.Euclidean;

    protected override bool HasMagnitudes => false;

    /// <summary>Balanced Euclidean k-means per layer on the raw residuals.</summary>
    public static EuclideanResidualQuantizer Train(Tensor embeddings, ResidualQuantizerOptions options)
    {
        using var scope = NewDisposeScope();
        return new EuclideanResidualQuantizer(TrainLayers(embeddings, options, KMeansMetric.Euclidean, r => r, StepCore));
    }

    public static EuclideanResidualQuantizer Load(string path)
    {
        using var scope = NewDisposeScope();
        return new EuclideanResidualQuantizer(CodebookFile.Read(path, QuantizerKind.Euclidean));
    }

    protected override (Tensor Codes, Tensor? Magnitudes, Tensor Residual) Step(Tensor residual, Tensor centroids) =>
        StepCore(residual, centroids);

    protected override Tensor Term(Tensor chosen, Tensor? magnitudes) => chosen;

    private static (Tensor Codes, Tensor? Magnitudes, Tensor Residual) StepCore(Tensor residual, Tensor centroids)
    {
        var codes = BalancedKMeans.Scores(residual, centroids, KMeansMetric.Euclidean).argmax(1);
        return (codes, null, residual.sub(centroids.index_select(0, codes)));
    }
}
