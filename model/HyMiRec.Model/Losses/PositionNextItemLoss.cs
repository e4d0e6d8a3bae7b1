using static TorchSharp.torch;

namespace HyMiRec.Model.Losses;

/// <summary>
/// Next-item softmax cross-entropy at every item position of the refined recommender's sequence, as SASRec trains:
/// token j's output (which reads the items up to j) is scored against item j + 1. DMIL learns from a few cut points per
/// sequence; this term gives the shared blocks and item table a target at every position of the same pass, at the cost
/// of one more item-scoring matmul. Padding positions and the last position have no target.
/// </summary>
public sealed class PositionNextItemLoss(double temperature)
{
    private readonly MergedNextItemLoss _next = new(temperature); // one interest per position: its plain next-item loss

    /// <param name="sequence">[B, T, D] item-token outputs (L2-normalised).</param>
    /// <param name="items">[B, T] the sequence's rows in <paramref name="itemTable"/>, left-padded with 0.</param>
    /// <param name="itemTable">[R, D] item rows, row 0 padding.</param>
    /// <param name="negatives">[K] rows shared by all positions, or [B, K] one set per sequence; null: every row 1.. (full softmax).</param>
    public Tensor Compute(Tensor sequence, Tensor items, Tensor itemTable, Tensor? negatives)
    {
        var length = items.shape[1];
        var inputs = sequence[.., ..(int)(length - 1), ..]; // [B, T-1, D]
        var next = items[.., 1..].masked_fill(items[.., ..(int)(length - 1)].eq(Modules.Scalars.Zero), Modules.Scalars.Zero); // [B, T-1]
        return _next.Compute(inputs.reshape(-1, 1, inputs.shape[2]), next.reshape(-1), itemTable, negatives);
    }
}
