namespace HyMiRec.Model.Serving;

/// <summary>
/// manifest.json of a model artifact directory: what produced it, its sizes, its evaluation figures and the
/// SHA-256 of every file, checked on load. <see cref="CodebookVersion"/> changes only when the codebook does,
/// so stored user codes stay valid across model versions that share a codebook. <see cref="Gate"/> is set by
/// `trainer retrain`: the holdout comparison that decided whether this version became current. <see cref="Selection"/>
/// is set by `trainer train --select`: the candidates it trained and the validation scores it chose by (null otherwise,
/// and absent from manifests written before it existed).
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
    ModelGate? Gate = null,
    ModelSelection? Selection = null);

/// <summary>
/// How `trainer train --select` chose this model: every candidate in grid order with its best validation score on
/// <see cref="Metric"/>, and the <see cref="Chosen"/> one. Test metrics never enter the choice, so the test figures in
/// <see cref="ModelManifest.Metrics"/> stay an unbiased estimate for the chosen model.
/// </summary>
public sealed record ModelSelection(string Metric, string Chosen, IReadOnlyList<SelectionCandidate> Candidates);

/// <summary>
/// One trained candidate: its name, interests s and target window w, best validation score and epochs run, and the
/// weight decay it trained with where the grid chose among decays (null otherwise, and in manifests written before).
/// </summary>
public sealed record SelectionCandidate(string Model, int RefinedQueries, int TargetWindow, double Validation, int Epochs, double? WeightDecay = null);

public sealed record ArtifactFile(string Name, long Bytes, string Sha256);

/// <summary>
/// The publish decision for a retrained version, with <see cref="Reason"/> in words. <see cref="Paired"/> holds the
/// paired holdout comparison behind it (null when there was no current version to compare with);
/// <see cref="Forced"/> says `--force` overrode a refusal. <see cref="Metric"/>, <see cref="Margin"/>,
/// <see cref="Candidate"/> and <see cref="Current"/> are only in manifests written by the older single-metric gate:
/// they stay so those manifests keep loading and still say what decided them.
/// </summary>
public sealed record ModelGate(
    bool Published,
    string Reason,
    string? CurrentVersion = null,
    bool Forced = false,
    PairedGate? Paired = null,
    string? Metric = null,
    double? Margin = null,
    double? Candidate = null,
    double? Current = null);

/// <summary>
/// A paired bootstrap over the holdout users: per gated metric the means of both versions, the mean difference
/// (candidate - current) and its <see cref="Confidence"/> interval from <see cref="Resamples"/> resamples of users
/// drawn with <see cref="Seed"/>, and the thresholds it was judged by.
/// </summary>
public sealed record PairedGate(
    int Users,
    int Resamples,
    double Confidence,
    int Seed,
    double Tolerance,
    double MaxHalfWidth,
    int MinUsers,
    IReadOnlyList<GateMetricResult> Metrics);

/// <summary>One gated metric: holdout means, their difference (candidate - current) and its confidence interval.</summary>
public sealed record GateMetricResult(string Metric, double Current, double Candidate, double Difference, double Lower, double Upper)
{
    public double HalfWidth => (Upper - Lower) / 2;
}
