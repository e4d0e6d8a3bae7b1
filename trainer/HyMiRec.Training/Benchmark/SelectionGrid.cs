using HyMiRec.Model.Data;
using HyMiRec.Model.Serving;
using HyMiRec.Training.Training;

namespace HyMiRec.Training.Benchmark;

/// <summary>
/// The HyMiRec variants `trainer train --select` chooses among, and how the choice goes into the manifest.
/// </summary>
public static class SelectionGrid
{
    public const string Metric = "val_ndcg@10";

    /// <summary>
    /// Simplest first, since ties keep the earlier one: one interest on the next item only (SASRec-like), the paper's
    /// default s = 2, w = 4, and one more interest over the same window. In the MovieLens ablations (docs/benchmarks.md)
    /// no other s or w led at Recall@10 (w = 2 and w = 8 trailed), so each extra candidate, a whole training run, is
    /// left to --select-grid.
    /// </summary>
    public static readonly IReadOnlyList<string> Default = ["hymirec-s1-w1", "hymirec-s2-w4", "hymirec-s3-w4"];

    /// <summary>Comma-separated HyMiRec model names, checked before any training starts.</summary>
    public static IReadOnlyList<string> Parse(string text)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
        {
            throw new UsageException("--select-grid lists no models; give e.g. hymirec-s1-w1,hymirec-s2-w4");
        }

        foreach (var name in names.Where(n => !HyMiRecVariants.IsVariant(n)))
        {
            throw new UsageException($"--select-grid: '{name}' is not a HyMiRec model; use hymirec or hymirec-<variant>");
        }

        return names.Distinct(StringComparer.Ordinal).Count() == names.Length ? names
            : throw new UsageException($"--select-grid names a model twice: {text}");
    }

    /// <summary>Trains every candidate on <paramref name="split"/> and returns the winner (the caller disposes it) and the record.</summary>
    public static (HyMiRecRecommender Winner, ModelSelection Record) Select(IReadOnlyList<string> grid, Func<string, HyMiRecRecommender> create,
        LeaveOneOutSplit split, ITrainingReporter reporter)
    {
        var selector = new ModelSelector<HyMiRecRecommender>(grid, create, candidate =>
        {
            candidate.Fit(split, reporter);
            return new CandidateFit(candidate.BestValidation, candidate.EpochsRun);
        });
        var outcome = selector.Run(line => reporter.Message("select", line));
        return (outcome.Winner, Record(outcome.Chosen, outcome.Candidates));
    }

    public static ModelSelection Record(string chosen, IReadOnlyList<CandidateScore> candidates) =>
        new(Metric, chosen, [.. candidates.Select(c => HyMiRecVariants.TryParse(c.Name, out var options)
            ? new SelectionCandidate(c.Name, options.RefinedQueries, options.TargetWindow, Math.Round(c.Validation, 6), c.Epochs)
            : throw new ArgumentException($"'{c.Name}' is not a HyMiRec model", nameof(candidates)))]);
}
