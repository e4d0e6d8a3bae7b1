namespace HyMiRec.Interfaces;

[GenerateSerializer, Immutable, Alias("hymirec.append-result.v1")]
public sealed record AppendResult(
    [property: Id(0)] int Applied,
    [property: Id(1)] int Duplicates,
    [property: Id(2)] int UnknownItems,
    [property: Id(3)] long HistoryLength);
