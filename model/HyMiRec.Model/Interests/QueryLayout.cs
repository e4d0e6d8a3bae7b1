using TorchSharp;
using static TorchSharp.torch;

namespace HyMiRec.Model.Interests;

/// <summary>
/// The token layout shared by both recommenders: a left-padded item sequence of length T followed by K groups of
/// g query tokens, one group per cut point. Sequence tokens attend causally (optionally within a window of the
/// latest n items); group k sees the sequence up to its cut (within the window) and its own group, nothing else.
/// One pass thus yields interests for K cut points of a sequence; at serving time K = 1 and the cut is the last item.
/// </summary>
public static class QueryLayout
{
    /// <param name="valid">[B, T] true for real items.</param>
    /// <param name="cuts">[B, K] int64 index of the last sequence token group k may see; below 0 sees none.</param>
    /// <returns>[B, 1, T + K g, T + K g] boolean attention mask.</returns>
    public static Tensor Mask(Tensor valid, Tensor cuts, int groupSize, int? window) => Mask(valid, cuts, groupSize, window, window);

    /// <summary>As <see cref="Mask(Tensor, Tensor, int, int?)"/>, with the query groups reading their own window of the sequence.</summary>
    public static Tensor Mask(Tensor valid, Tensor cuts, int groupSize, int? window, int? groupWindow)
    {
        using var total = (valid.shape[1] + (cuts.shape[1] * groupSize)).ToScalar(); // held past the native call (see Modules.Scalars)
        var every = arange(total, device: valid.device).unsqueeze(0).expand(valid.shape[0], -1); // [B, T+Kg]
        return RowMask(valid, cuts, groupSize, window, groupWindow, every); // [B, 1, T+Kg, T+Kg]
    }

    /// <summary>
    /// The rows <paramref name="rows"/> of <see cref="Mask(Tensor, Tensor, int, int?, int?)"/> (which is this rule for every
    /// row), built without the whole [T + K g]² mask, so a pass that computes a few tokens' outputs over a long sequence
    /// stays linear in its length.
    /// </summary>
    /// <param name="rows">[B, R] int64 token indices (sequence tokens below T, query tokens from T on).</param>
    /// <returns>[B, 1, R, T + K g] boolean.</returns>
    public static Tensor RowMask(Tensor valid, Tensor cuts, int groupSize, int? window, int? groupWindow, Tensor rows)
    {
        var (length, groupCount) = (valid.shape[1], cuts.shape[1]);
        var total = length + (groupCount * groupSize);
        var device = valid.device;
        using var lengthScalar = length.ToScalar(); // held past the native calls (see Modules.Scalars)
        using var totalScalar = total.ToScalar();
        using var groupSizeScalar = groupSize.ToScalar();
        using var lastGroup = (groupCount - 1).ToScalar();
        using var sequenceWidth = (window ?? total + 1).ToScalar();
        using var groupWidth = (groupWindow ?? total + 1).ToScalar();
        var keys = arange(totalScalar, device: device).view(1, 1, -1); // [1, 1, N]
        var sequenceRow = rows.lt(lengthScalar); // [B, R]
        var group = rows.sub(lengthScalar).clamp_min(Modules.Scalars.Zero).div(groupSizeScalar, rounding_mode: RoundingMode.floor); // [B, R]
        var newest = where(sequenceRow, rows, cuts.gather(1, group.clamp_max(lastGroup))).unsqueeze(-1); // [B, R, 1] last sequence key a row reads
        var width = where(sequenceRow, full_like(rows, sequenceWidth), full_like(rows, groupWidth)).unsqueeze(-1); // [B, R, 1]
        var realKey = cat([valid, zeros(valid.shape[0], total - length, dtype: ScalarType.Bool, device: device)], 1).unsqueeze(1); // [B, 1, N]
        var sequenceKeys = keys.le(newest).logical_and(keys.gt(newest - width)).logical_and(realKey); // [B, R, N]
        var keyGroup = keys.sub(lengthScalar).div(groupSizeScalar, rounding_mode: RoundingMode.floor); // [1, 1, N]
        var groupKeys = keys.ge(lengthScalar).logical_and(sequenceRow.logical_not().unsqueeze(-1)).logical_and(keyGroup.eq(group.unsqueeze(-1))); // [B, R, N]
        return sequenceKeys.logical_or(groupKeys).logical_or(keys.eq(rows.unsqueeze(-1))).unsqueeze(1); // [B, 1, R, N]
    }

    /// <summary>[B, T + K g] rotary positions: sequence token j at j, every token of group k just after its cut.</summary>
    public static Tensor Positions(long batch, long length, Tensor cuts, int groupSize)
    {
        using var lengthScalar = length.ToScalar(); // held past the native call (see Modules.Scalars)
        var sequence = arange(lengthScalar, device: cuts.device).unsqueeze(0).expand(batch, -1); // [B, T]
        var groups = cuts.clamp_min(Modules.Scalars.MinusOne).repeat_interleave(groupSize, dim: 1).add(Modules.Scalars.One); // [B, Kg]
        return cat([sequence, groups], 1); // [B, T+Kg]
    }
}
