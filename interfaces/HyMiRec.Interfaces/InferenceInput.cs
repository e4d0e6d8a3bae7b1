namespace HyMiRec.Interfaces;

/// <summary>One user's model input: history codes and float16 magnitude bits [H, L], then the last n item indices.</summary>
[GenerateSerializer, Immutable, Alias("hymirec.inference-input.v1")]
public sealed record InferenceInput(
    [property: Id(0)] ushort[] HistoryCodes,
    [property: Id(1)] ushort[] HistoryMagnitudeBits,
    [property: Id(2)] int[] RecentItems);
