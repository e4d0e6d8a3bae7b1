namespace HyMiRec.Interfaces;

[GenerateSerializer, Immutable, Alias("hymirec.model-registration.v1")]
public sealed record ModelRegistration(
    [property: Id(0)] string ModelVersion,
    [property: Id(1)] string ArtifactDirectory,
    [property: Id(2)] DateTimeOffset PublishedAt);
