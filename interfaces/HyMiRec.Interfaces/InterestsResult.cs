namespace HyMiRec.Interfaces;

[GenerateSerializer, Immutable, Alias("hymirec.interests-result.v1")]
public sealed record InterestsResult(
    [property: Id(0)] string ModelVersion,
    [property: Id(1)] string CodebookVersion,
    [property: Id(2)] int Dimension,
    [property: Id(3)] float[] Coarse,
    [property: Id(4)] float[] Refined);
