using static TorchSharp.torch;

namespace HyMiRec.Model.Codebooks;

/// <summary>
/// Compact codes of N items: L codes per item packed row-major as 1 byte each when K &lt;= 256, else 2 bytes
/// (little-endian ushort); plus L float16 magnitudes per item for cosine codebooks (null for Euclidean ones).
/// </summary>
public sealed class QuantizedItems
{
    private readonly byte[] _packedCodes;

    public QuantizedItems(int count, int layers, int codes, byte[] packedCodes, Half[]? magnitudes)
    {
        if (codes is < 1 or > 65536 || packedCodes.Length != (long)count * layers * CodeWidthFor(codes)
            || (magnitudes is not null && magnitudes.Length != (long)count * layers))
        {
            throw new ArgumentException($"inconsistent quantized items: {count} items, {layers} layers, {codes} codes");
        }

        Count = count;
        Layers = layers;
        Codes = codes;
        _packedCodes = packedCodes;
        Magnitudes = magnitudes;
    }

    public int Count { get; }

    public int Layers { get; }

    /// <summary>Codebook size K (codes per layer).</summary>
    public int Codes { get; }

    public int CodeWidth => CodeWidthFor(Codes);

    public ReadOnlySpan<byte> PackedCodes => _packedCodes;

    /// <summary>Row-major [Count, Layers]; null for quantisers without magnitudes.</summary>
    public Half[]? Magnitudes { get; }

    public double BytesPerItem => BytesPerItemFor(Layers, Codes, Magnitudes is not null);

    public static int CodeWidthFor(int codes) => codes <= 256 ? 1 : 2;

    public static double BytesPerItemFor(int layers, int codes, bool magnitudes) =>
        layers * (CodeWidthFor(codes) + (magnitudes ? 2 : 0));

    public int GetCode(int item, int layer)
    {
        var i = (item * Layers) + layer;
        return CodeWidth == 1 ? _packedCodes[i] : _packedCodes[2 * i] | (_packedCodes[(2 * i) + 1] << 8);
    }

    /// <param name="codes">[N, L] integer codes in 0..K-1.</param>
    /// <param name="magnitudes">[N, L] float magnitudes, or null.</param>
    public static QuantizedItems FromTensors(Tensor codes, Tensor? magnitudes, int codeCount)
    {
        var n = (int)codes.shape[0];
        var layers = (int)codes.shape[1];
        var values = codes.to_type(ScalarType.Int32).contiguous().data<int>().ToArray();
        var width = CodeWidthFor(codeCount);
        var packed = new byte[values.Length * width];
        for (var i = 0; i < values.Length; i++)
        {
            if (width == 1)
            {
                packed[i] = (byte)values[i];
            }
            else
            {
                packed[2 * i] = (byte)values[i];
                packed[(2 * i) + 1] = (byte)(values[i] >> 8);
            }
        }

        var mags = magnitudes?.to_type(ScalarType.Float32).contiguous().data<float>().ToArray().Select(v => (Half)v).ToArray();
        return new QuantizedItems(n, layers, codeCount, packed, mags);
    }

    /// <summary>Codes of the first <paramref name="layers"/> layers as int64 [N, layers].</summary>
    public Tensor CodesTensor(int layers)
    {
        var values = new long[(long)Count * layers];
        for (var item = 0; item < Count; item++)
        {
            for (var l = 0; l < layers; l++)
            {
                values[((long)item * layers) + l] = GetCode(item, l);
            }
        }

        return tensor(values, [Count, layers]);
    }

    /// <summary>Magnitudes of the first <paramref name="layers"/> layers as float32 [N, layers], or null.</summary>
    public Tensor? MagnitudesTensor(int layers)
    {
        if (Magnitudes is null)
        {
            return null;
        }

        var values = new float[(long)Count * layers];
        for (var item = 0; item < Count; item++)
        {
            for (var l = 0; l < layers; l++)
            {
                values[((long)item * layers) + l] = (float)Magnitudes[(item * Layers) + l];
            }
        }

        return tensor(values, [Count, layers]);
    }
}
