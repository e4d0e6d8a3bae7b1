using System.Globalization;
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

    /// <summary>
    /// Comma-separated weight decays for --select-weight-decay, smallest first so that a tie keeps the less regularised
    /// model. Their range is <see cref="TrainingOptions"/>' rule, checked with the other flags.
    /// </summary>
    public static IReadOnlyList<double> ParseDecays(string text)
    {
        var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                ? d : throw new UsageException($"--select-weight-decay: '{v}' is not a number"))
            .ToArray();
        if (values.Length == 0)
        {
            throw new UsageException("--select-weight-decay lists no values; give e.g. 0,0.1");
        }

        return values.Distinct().Count() == values.Length ? [.. values.Order()]
            : throw new UsageException($"--select-weight-decay names a value twice: {text}");
    }

    /// <summary>
    /// Every model with every decay, model by model (simplest model first, then smallest decay), so a tie keeps the
    /// simpler candidate; without decays the grid is the models alone and each keeps the run's own decay.
    /// </summary>
    public static IReadOnlyList<GridCandidate> Expand(IReadOnlyList<string> models, IReadOnlyList<double>? decays) =>
        decays is null ? [.. models.Select(m => new GridCandidate(m, null))] : [.. models.SelectMany(m => decays.Select(d => new GridCandidate(m, d)))];

    /// <summary>Trains every candidate on <paramref name="split"/> and returns the winner (the caller disposes it) and the record.</summary>
    public static (HyMiRecRecommender Winner, ModelSelection Record) Select(IReadOnlyList<GridCandidate> grid,
        Func<GridCandidate, HyMiRecRecommender> create, LeaveOneOutSplit split, ITrainingReporter reporter)
    {
        var byName = grid.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var selector = new ModelSelector<HyMiRecRecommender>([.. grid.Select(c => c.Name)], name => create(byName[name]), candidate =>
        {
            candidate.Fit(split, reporter);
            return new CandidateFit(candidate.BestValidation, candidate.EpochsRun);
        });
        var outcome = selector.Run(line => reporter.Message("select", line));
        return (outcome.Winner, Record(outcome.Chosen, outcome.Candidates, grid));
    }

    /// <param name="chosen">The winner's <see cref="GridCandidate.Name"/>.</param>
    /// <param name="scores">One per candidate of <paramref name="grid"/>, in its order.</param>
    /// <param name="grid">The candidates.</param>
    public static ModelSelection Record(string chosen, IReadOnlyList<CandidateScore> scores, IReadOnlyList<GridCandidate> grid)
    {
        if (grid.Count != scores.Count)
        {
            throw new ArgumentException($"{scores.Count} scores for {grid.Count} candidates", nameof(scores));
        }

        return new(Metric, chosen, [.. scores.Zip(grid, (score, candidate) => HyMiRecVariants.TryParse(candidate.Model, out var options) && score.Name == candidate.Name
            ? new SelectionCandidate(candidate.Name, options.RefinedQueries, options.TargetWindow, Math.Round(score.Validation, 6), score.Epochs, candidate.WeightDecay)
            : throw new ArgumentException($"'{score.Name}' is not the HyMiRec candidate {candidate.Name}", nameof(scores)))]);
    }
}

/// <summary>One candidate of a <see cref="SelectionGrid"/>: a HyMiRec model and the weight decay it trains with (null: the run's own).</summary>
public sealed record GridCandidate(string Model, double? WeightDecay)
{
    /// <summary>Unique within a grid: the model name, with "+wd" and the decay where the grid chooses among decays.</summary>
    public string Name => WeightDecay is { } decay ? $"{Model}+wd{decay.ToString(CultureInfo.InvariantCulture)}" : Model;
}
