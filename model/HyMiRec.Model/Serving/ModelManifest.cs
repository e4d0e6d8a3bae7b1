namespace HyMiRec.Model.Serving;

/// <summary>
/// manifest.json of a model artifact directory: what produced it, its sizes, its evaluation figures and the
/// SHA-256 of every file, checked on load. <see cref="CodebookVersion"/> changes only when the codebook does,
/// so stored user codes stay valid across model versions that share a codebook. <see cref="Gate"/> is set by
/// `trainer retrain`: the holdout comparison that decided whether this version became current.
/// </summary>
public sealed record ModelManifest(
    int FormatVersion,
    string ModelVersion,
    string CodebookVersion,
    DateTimeOffset CreatedAt,
    string Dataset,
    IReadOnlyDictionary<string, string> Config,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<ArtifactFile> Files,
    ModelGate? Gate = null);

public sealed record ArtifactFile(string Name, long Bytes, string Sha256);

/// <summary>
/// The publish decision for a retrained version: <see cref="Candidate"/> and <see cref="Current"/> are the holdout
/// values of <see cref="Metric"/> for this version and for <see cref="CurrentVersion"/> (null when there was none).
/// </summary>
public sealed record ModelGate(bool Published, string Metric, double Margin, double Candidate, double? Current, string? CurrentVersion, string Reason);
