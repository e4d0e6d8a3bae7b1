namespace HyMiRec.Interfaces;

/// <summary>Row-major [CoarseCount, Dimension] and [RefinedCount, Dimension] interests as of <see cref="ComputedAt"/>.</summary>
[GenerateSerializer, Immutable, Alias("hymirec.user-interests-view.v1")]
public sealed record UserInterestsView(
    [property: Id(0)] string UserId,
    [property: Id(1)] string ModelVersion,
    [property: Id(2)] int Dimension,
    [property: Id(3)] float[] Coarse,
    [property: Id(4)] float[] Refined,
    [property: Id(5)] DateTimeOffset ComputedAt,
    [property: Id(6)] long EventsSeen);

/// <summary>One history event; <see cref="ItemIndex"/> is 0 and the codes empty while the catalog does not know the item.</summary>
[GenerateSerializer, Immutable, Alias("hymirec.history-entry-view.v1")]
public sealed record HistoryEntryView(
    [property: Id(0)] string ItemId,
    [property: Id(1)] int ItemIndex,
    [property: Id(2)] DateTimeOffset Timestamp,
    [property: Id(3)] ushort[] Codes,
    [property: Id(4)] float[] Magnitudes);

[GenerateSerializer, Immutable, Alias("hymirec.recommendation-view.v1")]
public sealed record RecommendationView(
    [property: Id(0)] string ItemId,
    [property: Id(1)] string Text,
    [property: Id(2)] float Score);

[GenerateSerializer, Immutable, Alias("hymirec.append-result.v1")]
public sealed record AppendResult(
    [property: Id(0)] int Applied,
    [property: Id(1)] int Duplicates,
    [property: Id(2)] int UnknownItems,
    [property: Id(3)] long HistoryLength);

/// <summary>What the loaded model is and the shapes user grains must send it.</summary>
[GenerateSerializer, Immutable, Alias("hymirec.model-info.v1")]
public sealed record ModelInfo(
    [property: Id(0)] string ModelVersion,
    [property: Id(1)] string CodebookVersion,
    [property: Id(2)] int CodebookLayers,
    [property: Id(3)] int RecentLength,
    [property: Id(4)] int MaxHistory,
    [property: Id(5)] int Dimension,
    [property: Id(6)] int ItemCount);

/// <summary>Per item: dense index (0 = unknown); codes and float16 magnitude bits row-major [items, layers].</summary>
[GenerateSerializer, Immutable, Alias("hymirec.encoded-items.v1")]
public sealed record EncodedItems(
    [property: Id(0)] string CodebookVersion,
    [property: Id(1)] int Layers,
    [property: Id(2)] int[] Indices,
    [property: Id(3)] ushort[] Codes,
    [property: Id(4)] ushort[] MagnitudeBits);

/// <summary>One user's model input: history codes and float16 magnitude bits [H, L], then the last n item indices.</summary>
[GenerateSerializer, Immutable, Alias("hymirec.inference-input.v1")]
public sealed record InferenceInput(
    [property: Id(0)] ushort[] HistoryCodes,
    [property: Id(1)] ushort[] HistoryMagnitudeBits,
    [property: Id(2)] int[] RecentItems);

[GenerateSerializer, Immutable, Alias("hymirec.interests-result.v1")]
public sealed record InterestsResult(
    [property: Id(0)] string ModelVersion,
    [property: Id(1)] string CodebookVersion,
    [property: Id(2)] int Dimension,
    [property: Id(3)] float[] Coarse,
    [property: Id(4)] float[] Refined);

[GenerateSerializer, Immutable, Alias("hymirec.model-registration.v1")]
public sealed record ModelRegistration(
    [property: Id(0)] string ModelVersion,
    [property: Id(1)] string ArtifactDirectory,
    [property: Id(2)] DateTimeOffset PublishedAt);
