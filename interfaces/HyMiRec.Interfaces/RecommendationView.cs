namespace HyMiRec.Interfaces;

[GenerateSerializer, Immutable, Alias("hymirec.recommendation-view.v1")]
public sealed record RecommendationView(
    [property: Id(0)] string ItemId,
    [property: Id(1)] string Text,
    [property: Id(2)] float Score);
