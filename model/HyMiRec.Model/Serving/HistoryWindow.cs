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
}
