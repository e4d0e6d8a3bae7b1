using static TorchSharp.torch;

namespace HyMiRec.Model.Codebooks;

/// <summary>
/// Shared machinery of residual quantisers: L layers of K centroids [L, K, D]; each layer quantises what the
/// previous layers left over. Subclasses define one step (pick a code, measure, subtract) and its decoded term.
/// </summary>
public abstract class ResidualQuantizer : IItemQuantizer, IDisposable
{
    /// <summary>Rows encoded at once, so the [rows, K] score matrix stays small for million-item catalogues.</summary>
    protected const int ChunkRows = 8192;

    private readonly Tensor _centroids;
    private bool _disposed;

    /// <summary>One layer: codes [n] int64, magnitudes [n] or null, and the residual passed on [n, D].</summary>
    protected delegate (Tensor Codes, Tensor? Magnitudes, Tensor Residual) StepFunction(Tensor residual, Tensor centroids);

    protected ResidualQuantizer(Tensor centroids)
    {
        if (centroids.dim() != 3 || centroids.shape.Any(s => s < 1) || centroids.shape[1] > 65536)
        {
            throw new ArgumentException($"centroids must be [L, K <= 65536, D], got [{string.Join(", ", centroids.shape)}]");
        }

        _centroids = centroids.to_type(ScalarType.Float32).detach().clone().DetachFromDisposeScope();
        Layers = (int)centroids.shape[0];
        Codes = (int)centroids.shape[1];
        Dimension = (int)centroids.shape[2];
    }

    public abstract QuantizerKind Kind { get; }

    public int Layers { get; }

    public int Codes { get; }

    public int Dimension { get; }

    public double BytesPerItem => GetBytesPerItem(Layers);

    /// <summary>Centroids as float32 [L, K, D] (a view; do not modify).</summary>
    public Tensor Centroids => _centroids;

    protected abstract bool HasMagnitudes { get; }

    public double GetBytesPerItem(int layers) => QuantizedItems.BytesPerItemFor(CheckLayers(layers), Codes, HasMagnitudes);

    public QuantizedItems Encode(Tensor embeddings)
    {
        CheckEmbeddings(embeddings);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var codes = new List<Tensor>();
        var magnitudes = new List<Tensor>();
        foreach (var chunk in Chunks(embeddings))
        {
            // Per-chunk scope: the [rows, K] scores and per-layer temporaries die with their chunk.
            using var chunkScope = NewDisposeScope();
            var (c, m, _) = Run(chunk, Layers);
            codes.Add(c.MoveToOuterDisposeScope());
            if (m is not null)
            {
                magnitudes.Add(m.MoveToOuterDisposeScope());
            }
        }

        return QuantizedItems.FromTensors(cat(codes), HasMagnitudes ? cat(magnitudes) : null, Codes);
    }

    /// <summary>The float32 residual [N, D] left after the first <paramref name="layers"/> layers of encoding.</summary>
    public Tensor Residual(Tensor embeddings, int layers)
    {
        CheckEmbeddings(embeddings);
        CheckLayers(layers);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return MapChunks(embeddings, chunk => Run(chunk, layers).Residual).MoveToOuterDisposeScope();
    }

    public Tensor Decode(QuantizedItems items, int? layers = null)
    {
        var used = CheckLayers(layers ?? Layers);
        if (items.Codes != Codes || items.Layers != Layers || (items.Magnitudes is not null) != HasMagnitudes)
        {
            throw new ArgumentException($"items were not encoded by this quantiser ({items.Layers} layers, {items.Codes} codes)");
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var codes = items.CodesTensor(used);
        var magnitudes = items.MagnitudesTensor(used);
        var result = zeros(items.Count, Dimension);
        for (var l = 0; l < used; l++)
        {
            var chosen = _centroids[l].index_select(0, codes[.., l]);
            result.add_(Term(chosen, magnitudes?[.., l]));
        }

        return result.MoveToOuterDisposeScope();
    }

    public void Save(string path) => CodebookFile.Write(path, Kind, _centroids);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _centroids.Dispose();
        }

        _disposed = true;
    }

    protected abstract (Tensor Codes, Tensor? Magnitudes, Tensor Residual) Step(Tensor residual, Tensor centroids);

    /// <summary>One layer's contribution to a reconstruction from its chosen centroids [n, D].</summary>
    protected abstract Tensor Term(Tensor chosen, Tensor? magnitudes);

    /// <summary>
    /// Trains layer by layer: k-means on (prepared) residuals gives the layer's centroids, then the residual is
    /// advanced with the same step that <see cref="Encode"/> uses, so later layers learn what encoding leaves over.
    /// </summary>
    protected static Tensor TrainLayers(
        Tensor embeddings, ResidualQuantizerOptions options, KMeansMetric metric, Func<Tensor, Tensor> prepare, StepFunction step)
    {
        if (embeddings.dim() != 2)
        {
            throw new ArgumentException($"embeddings must be [N, D], got [{string.Join(", ", embeddings.shape)}]");
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var residual = embeddings.to_type(ScalarType.Float32);
        var layers = new Tensor[options.Layers];
        for (var l = 0; l < options.Layers; l++)
        {
            var prepared = prepare(residual);
            layers[l] = BalancedKMeans.Fit(prepared, options.ForLayer(l, metric)).Centroids;
            var centroids = layers[l];
            var next = MapChunks(residual, chunk => step(chunk, centroids).Residual);

            // Free the previous residual early: at 1M x 256 each copy is 1 GB. The caller's tensor is never freed.
            if (!ReferenceEquals(prepared, residual))
            {
                prepared.Dispose();
            }

            if (l > 0)
            {
                residual.Dispose();
            }

            residual = next;
        }

        return stack(layers).MoveToOuterDisposeScope();
    }

    private (Tensor Codes, Tensor? Magnitudes, Tensor Residual) Run(Tensor residual, int layers)
    {
        var codes = new Tensor[layers];
        var magnitudes = new Tensor?[layers];
        for (var l = 0; l < layers; l++)
        {
            (codes[l], magnitudes[l], residual) = Step(residual, _centroids[l]);
        }

        var m = HasMagnitudes && layers > 0 ? stack(magnitudes.Select(t => t!).ToList(), 1) : null;
        return (layers > 0 ? stack(codes, 1) : empty(residual.shape[0], 0, dtype: ScalarType.Int64), m, residual);
    }

    /// <summary>Applies a row-wise map chunk by chunk, each in its own scope, keeping only the concatenated result.</summary>
    private static Tensor MapChunks(Tensor rows, Func<Tensor, Tensor> map)
    {
        var parts = new List<Tensor>();
        foreach (var chunk in Chunks(rows))
        {
            using var scope = NewDisposeScope();
            parts.Add(map(chunk).MoveToOuterDisposeScope());
        }

        var result = cat(parts);
        parts.ForEach(p => p.Dispose());
        return result;
    }

    private static IEnumerable<Tensor> Chunks(Tensor rows)
    {
        var x = rows.to_type(ScalarType.Float32);
        for (long start = 0; start < x.shape[0]; start += ChunkRows)
        {
            yield return x.narrow(0, start, Math.Min(ChunkRows, x.shape[0] - start));
        }
    }

    private void CheckEmbeddings(Tensor embeddings)
    {
        if (embeddings.dim() != 2 || embeddings.shape[1] != Dimension)
        {
            throw new ArgumentException($"embeddings must be [N, {Dimension}], got [{string.Join(", ", embeddings.shape)}]");
        }
    }

    private int CheckLayers(int layers) =>
        layers >= 0 && layers <= Layers ? layers : throw new ArgumentOutOfRangeException(nameof(layers), $"0..{Layers}");
}
