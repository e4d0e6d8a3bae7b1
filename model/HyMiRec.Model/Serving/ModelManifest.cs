namespace HyMiRec.Model.Serving;

/// <summary>
/// manifest.json of a model artifact directory: what produced it, its sizes, its evaluation figures and the
/// SHA-256 of every file, checked on load. <see cref="CodebookVersion"/> changes only when the codebook does,
/// so stored user codes stay valid across model versions that share a codebook.
/// </summary>
public sealed record ModelManifest(
    int FormatVersion,
    string ModelVersion,
    string CodebookVersion,
    DateTimeOffset CreatedAt,
    string Dataset,
    IReadOnlyDictionary<string, string> Config,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<ArtifactFile> Files);

public sealed record ArtifactFile(string Name, long Bytes, string Sha256);
