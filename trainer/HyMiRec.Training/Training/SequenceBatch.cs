using static TorchSharp.torch;

namespace HyMiRec.Training.Training;

/// <summary>Left-pads item sequences into tensors: the newest item is always in the last column.</summary>
public static class SequenceBatch
{
    /// <summary>[B, L] with L = min(maxLength, longest sequence); each row keeps its newest items.</summary>
    public static Tensor LeftPadded(IReadOnlyList<int[]> sequences, int maxLength)
    {
        var length = Math.Max(1, Math.Min(maxLength, sequences.Max(s => s.Length)));
        var flat = new long[sequences.Count * length];
        for (var b = 0; b < sequences.Count; b++)
        {
            var sequence = sequences[b];
            var take = Math.Min(length, sequence.Length);
            var row = (b * length) + length - take;
            for (var i = 0; i < take; i++)
            {
                flat[row + i] = sequence[sequence.Length - take + i];
            }
        }

        return tensor(flat, [sequences.Count, length]);
    }

    /// <summary>Next-item training pairs: inputs are items [0..n-1), targets items [1..n), both left-padded.</summary>
    public static (Tensor Inputs, Tensor Targets) NextItemPairs(IReadOnlyList<int[]> sequences, int maxLength)
    {
        var inputs = sequences.Select(s => s[..^1]).ToArray();
        var targets = sequences.Select(s => s[1..]).ToArray();
        return (LeftPadded(inputs, maxLength), LeftPadded(targets, maxLength));
    }
}
