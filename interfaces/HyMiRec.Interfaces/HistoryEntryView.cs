namespace HyMiRec.Interfaces;

/// <summary>One history event; <see cref="ItemIndex"/> is 0 and the codes empty while the catalog does not know the item.</summary>
[GenerateSerializer, Immutable, Alias("hymirec.history-entry-view.v1")]
public sealed record HistoryEntryView(
    [property: Id(0)] string ItemId,
    [property: Id(1)] int ItemIndex,
    [property: Id(2)] DateTimeOffset Timestamp,
    [property: Id(3)] ushort[] Codes,
    [property: Id(4)] float[] Magnitudes);
