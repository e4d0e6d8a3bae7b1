using static TorchSharp.torch;

namespace HyMiRec.Model.Codebooks;

/// <summary>
/// The paper's Stage-1 codebook: L layers of K unit directions. Each layer picks the direction most similar to the
/// current residual e (argmax cosine), stores the magnitude m = e . c_hat, and passes on e - m c_hat, which is
/// orthogonal to the chosen direction, so the residual norm can only shrink (|e'|^2 = |e|^2 - m^2).
/// Decode(codes, m) = sum_l m_l c_hat_l. Per item: L codes (1 byte when K &lt;= 256, else 2) + L float16 magnitudes.
/// </summary>
public sealed class CosineResidualCodebook : ResidualQuantizer
{
    /// <param name="centroids">[L, K, D]; rows are normalised here so every stored direction is a unit vector.</param>
    public CosineResidualCodebook(Tensor centroids)
        : base(Normalise(centroids))
    {
    }

    public override QuantizerKind Kind => QuantizerKind.Cosine;

    protected override bool HasMagnitudes => true;

    /// <summary>
    /// Balanced spherical k-means per layer on the normalised residuals: the balance spreads items over all codes
    /// during training; encoding afterwards is a plain argmax with no capacity.
    /// </summary>
    public static CosineResidualCodebook Train(Tensor embeddings, ResidualQuantizerOptions options)
    {
        using var scope = NewDisposeScope();
        var centroids = TrainLayers(
            embeddings, options, KMeansMetric.Cosine, r => nn.functional.normalize(r, dim: 1), StepCore);
        return new CosineResidualCodebook(centroids);
    }

    public static CosineResidualCodebook Load(string path)
    {
        using var scope = NewDisposeScope();
        return new CosineResidualCodebook(CodebookFile.Read(path, QuantizerKind.Cosine));
    }

    protected override (Tensor Codes, Tensor? Magnitudes, Tensor Residual) Step(Tensor residual, Tensor centroids) =>
        StepCore(residual, centroids);

    protected override Tensor Term(Tensor chosen, Tensor? magnitudes) => chosen.mul(magnitudes!.unsqueeze(1));

    private static (Tensor Codes, Tensor? Magnitudes, Tensor Residual) StepCore(Tensor residual, Tensor centroids)
    {
        // Dividing by |e| does not change a row's argmax, so raw residuals are scored directly.
        var codes = residual.matmul(centroids.t()).argmax(1);
        var chosen = centroids.index_select(0, codes);
        var magnitudes = residual.mul(chosen).sum(1);
        return (codes, magnitudes, residual.sub(chosen.mul(magnitudes.unsqueeze(1))));
    }

    private static Tensor Normalise(Tensor centroids)
    {
        using var noGrad = no_grad();
        var values = centroids.to_type(ScalarType.Float32);

        // Rows read back from a file are unit vectors already; normalising again would move their last bits, and the
        // file (whose hash is the codebook version) would no longer round-trip byte for byte.
        var deviation = values.square().sum(-1).sqrt().sub(Modules.Scalars.One).abs().max().item<float>();
        return deviation < 1e-6f ? values.clone() : nn.functional.normalize(values, dim: -1);
    }
}
