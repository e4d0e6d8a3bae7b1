namespace HyMiRec.Interfaces;

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
