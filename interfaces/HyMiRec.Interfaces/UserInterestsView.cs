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
