using System.Globalization;
using HyMiRec.Model.Serving;

namespace HyMiRec.Training.Retraining;

/// <summary>
/// Decides whether a retrained candidate replaces the current version. Comparing two holdout means against a fixed
/// margin let a candidate worse on most metrics through (the one metric checked happened to sit within the margin)
/// and could not tell a real drop from noise. So the gate pairs the two models user by user on several metrics and
/// bootstraps the mean difference: it refuses when any gated metric is clearly worse (the interval's upper bound is
/// below -tolerance), and also when the holdout is too small for the interval to mean anything (too few users or
/// too wide an interval). `--force` overrides a refusal and the manifest says so.
/// </summary>
public sealed class PublishGate
{
    private readonly GateSettings _settings;

    public PublishGate(GateSettings settings)
    {
        _settings = settings;
        var unknown = settings.Metrics.Where(m => !HoldoutEvaluator.MetricNames.Contains(m, StringComparer.Ordinal)).ToArray();
        if (settings.Metrics.Count == 0 || unknown.Length > 0)
        {
            throw new UsageException($"unknown gate metric(s) '{string.Join(", ", unknown)}'; use one or more of {string.Join(", ", HoldoutEvaluator.MetricNames)}");
        }

        if (settings.Confidence is <= 0 or >= 1 || settings.Resamples < 100 || settings.Tolerance < 0 || settings.MaxHalfWidth <= 0 || settings.MinUsers < 1)
        {
            throw new UsageException("gate settings: confidence must lie in (0, 1), resamples be at least 100, tolerance >= 0, max half-width > 0, min users >= 1");
        }
    }

    public ModelGate Decide(HoldoutScores candidate, HoldoutScores? current, string? currentVersion, bool force)
    {
        if (current is null)
        {
            return new ModelGate(true, "published: no current version to compare with");
        }

        if (candidate.Users != current.Users)
        {
            throw new ArgumentException($"candidate scored {candidate.Users} holdout users, current {current.Users}: a paired comparison needs the same users");
        }

        var users = candidate.Users;
        var paired = users == 0 ? new PairedGate(0, _settings.Resamples, _settings.Confidence, _settings.Seed, _settings.Tolerance, _settings.MaxHalfWidth, _settings.MinUsers, [])
            : Compare(candidate, current);
        var worse = paired.Metrics.Where(r => r.Upper < -_settings.Tolerance).ToArray();
        var widest = paired.Metrics.OrderByDescending(r => r.HalfWidth).FirstOrDefault();
        var summary = string.Join("; ", paired.Metrics.Select(Describe));
        string? refusal = null;
        if (worse.Length > 0)
        {
            refusal = $"worse than {currentVersion} on {string.Join(", ", worse.Select(r => r.Metric))} beyond the tolerance {F(_settings.Tolerance)}";
        }
        else if (users < _settings.MinUsers)
        {
            refusal = $"holdout too small to decide: {users} users < {_settings.MinUsers}";
        }
        else if (widest is not null && widest.HalfWidth > _settings.MaxHalfWidth)
        {
            refusal = $"holdout too small to decide: {users} users, {widest.Metric} CI half-width {F(widest.HalfWidth)} > {F(_settings.MaxHalfWidth)}";
        }

        var detail = paired.Metrics.Count == 0 ? string.Empty : $" ({summary})";
        if (refusal is null)
        {
            return new ModelGate(true, $"published: not worse than {currentVersion} on {users} holdout users{detail}", currentVersion, Paired: paired);
        }

        return force
            ? new ModelGate(true, $"PUBLISHED BY --force although the gate refused: {refusal}{detail}", currentVersion, Forced: true, Paired: paired)
            : new ModelGate(false, $"not published: {refusal}{detail} (--force publishes anyway)", currentVersion, Paired: paired);
    }

    private PairedGate Compare(HoldoutScores candidate, HoldoutScores current)
    {
        var differences = _settings.Metrics
            .Select(m => candidate.PerUser(m).Zip(current.PerUser(m), (c, o) => c - o).ToArray())
            .ToArray();
        var intervals = PairedBootstrap.Intervals(differences, _settings.Resamples, _settings.Confidence, _settings.Seed);
        var results = _settings.Metrics.Select((m, i) => new GateMetricResult(
            m, current.PerUser(m).Average(), candidate.PerUser(m).Average(), intervals[i].Mean, intervals[i].Lower, intervals[i].Upper)).ToArray();
        return new PairedGate(candidate.Users, _settings.Resamples, _settings.Confidence, _settings.Seed, _settings.Tolerance, _settings.MaxHalfWidth, _settings.MinUsers, results);
    }

    private string Describe(GateMetricResult r) =>
        $"{r.Metric} {F(r.Candidate)} vs {F(r.Current)}, difference {F(r.Difference)}, {(_settings.Confidence * 100).ToString("0.#", CultureInfo.InvariantCulture)}% CI [{F(r.Lower)}, {F(r.Upper)}]";

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
