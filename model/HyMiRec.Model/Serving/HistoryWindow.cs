namespace HyMiRec.Model.Serving;

/// <summary>
/// The one rule for how much of a history the model reads: the newest events, at most the model's MaxHistory
/// (training, serving batches, bucket planning and single requests all cut the same way).
/// </summary>
public static class HistoryWindow
{
    /// <summary>How many of <paramref name="length"/> events the model reads when it reads at most <paramref name="max"/>.</summary>
    public static int Length(int length, int max) => Math.Min(length, max);

    /// <summary>The newest <paramref name="max"/> entries of <paramref name="items"/> (oldest first), or all of them.</summary>
    public static T[] Newest<T>(T[] items, int max) => items.Length > max ? items[^max..] : items;

    /// <summary>An automatic stride (<see cref="Stride"/> with 0) is the window divided by this, so a window reads at least 15/16 of it.</summary>
    public const int AutomaticStrideDivisor = 16;

    /// <summary>
    /// The stride a window of <paramref name="max"/> moves in: <paramref name="configured"/> (at most max), or for 0 a
    /// sixteenth of max (64 at 1,024). Measured on MovieLens, leaving out up to a sixteenth of the oldest events read
    /// cost no quality, while a stride as long as a short window did (docs/benchmarks-kafka.md).
    /// </summary>
    public static int Stride(int configured, int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(configured);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return configured == 0 ? Math.Max(1, max / AutomaticStrideDivisor) : Math.Min(configured, max);
    }

    /// <summary>
    /// Where a window that moves in steps of <paramref name="stride"/> starts, as an index over the
    /// <paramref name="events"/> ever appended: the oldest event a window of <paramref name="max"/> may hold, rounded up
    /// to a multiple of the stride. The window then holds between max - stride + 1 and max of the newest events, and
    /// between two steps it only grows, so states kept for its older events stay valid (stride 1: the newest max).
    /// </summary>
    public static long StrideStart(long events, int max, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(stride, max);
        var first = Math.Max(0, events - max);
        return (first + stride - 1) / stride * stride;
    }
}
