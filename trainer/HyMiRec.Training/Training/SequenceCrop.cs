namespace HyMiRec.Training.Training;

/// <summary>
/// The part of a training sequence one epoch trains on. Without crops a long sequence always gives its newest
/// <c>length</c> items, so its older events are never targets (on ML-1M, 128 items per user keep 52 % of the ratings);
/// with crops each epoch takes a window ending at a uniformly drawn position, so over the epochs every event is one.
/// </summary>
public static class SequenceCrop
{
    /// <returns>The sequence itself when it fits, otherwise <paramref name="length"/> consecutive items.</returns>
    public static int[] Take(int[] sequence, int length, bool crop, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        if (sequence.Length <= length)
        {
            return sequence;
        }

        var end = crop ? random.Next(length, sequence.Length + 1) : sequence.Length;
        return sequence[(end - length)..end];
    }
}
