using HyMiRec.Events;

namespace HyMiRec.Testing;

public static class Clicks
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Clicks on catalog items 1.. in order, one second apart, optionally with Kafka positions.</summary>
    public static ClickEvent[] For(string userId, int count, int firstItem = 1, int? partition = null, long firstOffset = 0) =>
        Enumerable.Range(0, count).Select(i => new ClickEvent(
            userId,
            TestModel.Dataset.ItemIds[1 + ((firstItem - 1 + i) % TestModel.Dataset.ItemCount)],
            Start.AddSeconds(firstItem + i),
            "click",
            partition is { } p ? new LogPosition(p, firstOffset + i) : null)).ToArray();
}
