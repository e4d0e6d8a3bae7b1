using HyMiRec.Model.Serving;
using HyMiRec.Training.Retraining;

namespace HyMiRec.Training.Evaluation;

/// <summary>One history window setting against the exact newest-MaxHistory window on the same users.</summary>
/// <param name="MaxHistory">Newest events a window may hold.</param>
/// <param name="Stride">Steps in which the oldest event read moves (1: the exact window, the baseline).</param>
/// <param name="Longer">Users with more events than MaxHistory, the only ones a stride can touch.</param>
/// <param name="Shortened">Users whose window reads fewer events than the exact one.</param>
/// <param name="MeanDropped">Mean events the shortened users' windows leave out.</param>
/// <param name="Means">Mean of each holdout metric.</param>
/// <param name="Differences">Mean paired difference to the exact window and its bootstrap interval, per metric.</param>
public sealed record StrideRow(
    int MaxHistory, int Stride, int Longer, int Shortened, double MeanDropped, IReadOnlyDictionary<string, double> Means,
    IReadOnlyDictionary<string, PairedDifference> Differences);

/// <summary>A mean paired difference and its bootstrap interval (a record, so the JSON report holds its fields).</summary>
public sealed record PairedDifference(double Mean, double Lower, double Upper);

/// <summary>What the study measured: the users, the bootstrap, and one row per (MaxHistory, stride).</summary>
public sealed record StrideReport(int Users, int Resamples, double Confidence, IReadOnlyList<StrideRow> Rows);

/// <summary>
/// What a silo's <c>Users:HistoryWindowStride</c> costs in recommendation quality: each user's history is read through
/// the window a silo would read for it (<see cref="HistoryWindow.StrideStart"/> over the events the user has), scored
/// through the serving path (<see cref="HoldoutEvaluator"/>), and compared user by user with the exact window of the
/// same MaxHistory. A user's place in the stride cycle is its history length, so over many users the windows cover the
/// cycle as a served user's successive clicks do.
/// </summary>
public static class WindowStrideStudy
{
    public static StrideReport Run(
        HyMiRecInterestModel model, IReadOnlyList<HoldoutCase> cases, IReadOnlyList<int> maxHistories, IReadOnlyList<int> strides,
        int resamples, int seed)
    {
        const double confidence = 0.95;
        foreach (var max in maxHistories)
        {
            if (max < 1 || max > model.MaxHistory)
            {
                throw new ArgumentOutOfRangeException(nameof(maxHistories), max, $"a window's MaxHistory must be between 1 and the model's, {model.MaxHistory}");
            }

            foreach (var stride in strides.Where(s => s < 1 || s > max))
            {
                throw new ArgumentOutOfRangeException(nameof(strides), stride, $"a stride must be between 1 and the window's MaxHistory, {max}");
            }
        }

        var lengths = cases.Select(c => KnownLength(model, c)).ToArray();
        var rows = new List<StrideRow>();
        foreach (var max in maxHistories)
        {
            var exact = HoldoutEvaluator.Evaluate(model, cases, items => Window(items, max, 1));
            rows.Add(Row(max, 1, lengths, exact, exact, resamples, confidence, seed));
            foreach (var stride in strides.Where(s => s > 1))
            {
                var strided = HoldoutEvaluator.Evaluate(model, cases, items => Window(items, max, stride));
                rows.Add(Row(max, stride, lengths, strided, exact, resamples, confidence, seed));
            }
        }

        return new StrideReport(cases.Count, resamples, confidence, rows);
    }

    /// <summary>The newest events of <paramref name="items"/> a silo reads with this MaxHistory and stride.</summary>
    public static int[] Window(int[] items, int max, int stride) =>
        items[(int)HistoryWindow.StrideStart(items.Length, max, stride)..];

    private static StrideRow Row(int max, int stride, int[] lengths, HoldoutScores scores, HoldoutScores exact, int resamples, double confidence, int seed)
    {
        var dropped = lengths.Select(l => Math.Min(l, max) - (l - (int)HistoryWindow.StrideStart(l, max, stride))).Where(d => d > 0).ToArray();
        var metrics = HoldoutEvaluator.MetricNames;
        var differences = metrics.Select(m => scores.PerUser(m).Zip(exact.PerUser(m), (a, b) => a - b).ToArray()).ToArray();
        var intervals = scores.Users == 0 ? [] : PairedBootstrap.Intervals(differences, resamples, confidence, seed);
        return new StrideRow(
            max, stride, lengths.Count(l => l > max), dropped.Length, dropped.Length == 0 ? 0 : dropped.Average(), scores.Means(),
            metrics.Zip(intervals).ToDictionary(p => p.First, p => new PairedDifference(p.Second.Mean, p.Second.Lower, p.Second.Upper), StringComparer.Ordinal));
    }

    private static int KnownLength(HyMiRecInterestModel model, HoldoutCase c) =>
        c.Input.Count(id => model.Catalog.TryGetIndex(id, out _));
}
