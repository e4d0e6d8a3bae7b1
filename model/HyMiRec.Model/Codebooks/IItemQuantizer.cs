using static TorchSharp.torch;

namespace HyMiRec.Model.Codebooks;

/// <summary>Stored in codebook files; values are part of the file format.</summary>
public enum QuantizerKind : byte
{
    Cosine = 1,
    Euclidean = 2,
}

/// <summary>An item-embedding quantiser: L layers of K codes over D-dimensional embeddings.</summary>
public interface IItemQuantizer
{
    QuantizerKind Kind { get; }

    int Layers { get; }

    int Codes { get; }

    int Dimension { get; }

    /// <summary>Storage of one encoded item with all layers.</summary>
    double BytesPerItem { get; }

    /// <summary>Storage of one encoded item when only the first <paramref name="layers"/> layers are kept.</summary>
    double GetBytesPerItem(int layers);

    /// <param name="embeddings">[N, D] float32.</param>
    QuantizedItems Encode(Tensor embeddings);

    /// <summary>[N, D] float32 reconstruction from the first <paramref name="layers"/> layers (all when null).</summary>
    Tensor Decode(QuantizedItems items, int? layers = null);

    void Save(string path);
}
