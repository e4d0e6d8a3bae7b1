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

    /// <summary>
    /// The loss at every position with a next item or, with <paramref name="positions"/> &gt; 0, at most that many
    /// positions of each sequence, drawn uniformly without replacement from those with a next item (all of them when a
    /// sequence has fewer). Scoring is what this term costs: over a long history with a full softmax it is [B, T, N]
    /// logits a step, and a few positions per sequence give an unbiased estimate of each sequence's mean term at a
    /// fraction of that. Each sequence then weighs the same, however long its history.
    /// </summary>
    /// <param name="sequence">[B, T, D] item-token outputs (L2-normalised).</param>
    /// <param name="items">[B, T] the sequence's rows in <paramref name="itemTable"/>, left-padded with 0.</param>
    /// <param name="itemTable">[R, D] item rows, row 0 padding.</param>
    /// <param name="negatives">[K] rows shared by all positions, or [B, K] one set per sequence; null: every row 1.. (full softmax).</param>
    /// <param name="positions">Positions scored per sequence; 0 (or at least T - 1) scores every one.</param>
    /// <param name="generator">Draws the positions; needed when <paramref name="positions"/> samples.</param>
    public Tensor Compute(Tensor sequence, Tensor items, Tensor itemTable, Tensor? negatives, int positions = 0, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(positions);
        var length = items.shape[1];
        var inputs = sequence[.., ..(int)(length - 1), ..]; // [B, T-1, D]
        var next = items[.., 1..].masked_fill(items[.., ..(int)(length - 1)].eq(Modules.Scalars.Zero), Modules.Scalars.Zero); // [B, T-1]
        if (positions > 0 && positions < length - 1)
        {
            ArgumentNullException.ThrowIfNull(generator);
            // Positions with a target get keys in [0, 1) and the rest -1, so top-k takes targets first, at random.
            var keys = rand(next.shape, generator: generator).to(next.device)
                .masked_fill(next.eq(Modules.Scalars.Zero), Modules.Scalars.MinusOne); // [B, T-1]
            var picked = keys.topk(positions, dim: 1).indexes; // [B, P]
            inputs = inputs.gather(1, picked.unsqueeze(-1).expand(-1, -1, inputs.shape[2])); // [B, P, D]
            next = next.gather(1, picked); // [B, P], 0 where a short sequence ran out of targets
        }

        return _next.Compute(inputs.reshape(-1, 1, inputs.shape[2]), next.reshape(-1), itemTable, negatives);
    }
}
