namespace HyMiRec.Interfaces;

/// <summary>Per item: dense index (0 = unknown); codes and float16 magnitude bits row-major [items, layers].</summary>
[GenerateSerializer, Immutable, Alias("hymirec.encoded-items.v1")]
public sealed record EncodedItems(
    [property: Id(0)] string CodebookVersion,
    [property: Id(1)] int Layers,
    [property: Id(2)] int[] Indices,
    [property: Id(3)] ushort[] Codes,
    [property: Id(4)] ushort[] MagnitudeBits);
