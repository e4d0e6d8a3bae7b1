using TorchSharp;
using static TorchSharp.torch;

namespace HyMiRec.Model.Modules;

/// <summary>
/// Rotary position tables (RoPE) for given token positions. Attention between two rotated vectors depends only on
/// the distance of their positions, which is what lets a window of recent items mean the same in training and serving.
/// </summary>
public sealed class RotaryTables
{
    private RotaryTables(Tensor cos, Tensor sin)
    {
        Cos = cos;
        Sin = sin;
    }

    /// <summary>[B, 1, L, Dh/2]</summary>
    public Tensor Cos { get; }

    /// <summary>[B, 1, L, Dh/2]</summary>
    public Tensor Sin { get; }

    /// <param name="positions">[B, L] int64 token positions.</param>
    public static RotaryTables Create(Tensor positions, int headDimension, double theta)
    {
        var half = headDimension / 2;
        // theta^(-i/half) as exp(-ln(theta) i / half), with scalars that outlive the native calls (see Scalars).
        using var rate = (-Math.Log(theta) / half).ToScalar();
        var inverse = arange(0, half, dtype: ScalarType.Float32, device: positions.device).mul(rate).exp(); // [Dh/2]
        return FromFrequencies(positions, inverse);
    }

    /// <param name="positions">[B, L] int64 token positions.</param>
    /// <param name="inverseFrequencies">Dh/2 rotation rates, e.g. a pretrained checkpoint's scaled ones.</param>
    public static RotaryTables Create(Tensor positions, double[] inverseFrequencies) =>
        FromFrequencies(positions, tensor(inverseFrequencies, ScalarType.Float32, positions.device)); // [Dh/2]

    private static RotaryTables FromFrequencies(Tensor positions, Tensor inverse)
    {
        var angles = positions.to_type(ScalarType.Float32).unsqueeze(-1) * inverse; // [B, L, Dh/2]
        return new RotaryTables(angles.cos().unsqueeze(1), angles.sin().unsqueeze(1));
    }

    /// <summary>The tables of some tokens only.</summary>
    /// <param name="rows">[B, R] int64 token indices.</param>
    public RotaryTables Rows(Tensor rows)
    {
        var index = rows.view(rows.shape[0], 1, rows.shape[1], 1).expand(-1, -1, -1, Cos.shape[3]); // [B, 1, R, Dh/2]
        return new RotaryTables(Cos.gather(2, index), Sin.gather(2, index));
    }

    /// <param name="x">[B, H, L, Dh]</param>
    public Tensor Apply(Tensor x)
    {
        var half = x.shape[^1] / 2;
        var first = x[.., .., .., ..(int)half]; // [B, H, L, Dh/2]
        var second = x[.., .., .., (int)half..];
        return cat([(first * Cos) - (second * Sin), (first * Sin) + (second * Cos)], -1);
    }
}
