namespace HyMiRec.Training.Benchmark;

/// <summary>Folds one <see cref="BenchmarkReport"/> per seed into a <see cref="MultiSeedReport"/>.</summary>
public static class SeedSummary
{
    /// <param name="runs">One report per seed, in the order of <paramref name="seeds"/>, all with the same rows in the same order.</param>
    public static MultiSeedReport Aggregate(IReadOnlyList<int> seeds, IReadOnlyList<BenchmarkReport> runs)
    {
        if (seeds.Count == 0 || seeds.Count != runs.Count)
        {
            throw new ArgumentException($"{runs.Count} runs for {seeds.Count} seeds", nameof(runs));
        }

        var first = runs[0];
        var names = first.Results.Select(r => r.Model).ToArray();
        if (runs.FirstOrDefault(run => !run.Results.Select(r => r.Model).SequenceEqual(names)) is { } odd)
        {
            throw new ArgumentException($"every seed must give the same models in the same order; got {string.Join(", ", odd.Results.Select(r => r.Model))}", nameof(runs));
        }

        var rows = first.Results.Select((row, i) => new MultiSeedRow
        {
            Model = row.Model,
            Settings = row.Settings,
            Metrics = MarkdownTable.MetricKeys.ToDictionary(k => k, k => (object)Of(runs.Select(r => r.Results[i].Metric(k)))),
            TrainSeconds = Math.Round(runs.Average(r => r.Results[i].TrainSeconds), 2),
            Params = row.Params,
            Note = row.Note,
            PairedDifference = i == 0 ? null : MarkdownTable.MetricKeys.ToDictionary(
                k => k, k => Of(runs.Select(r => r.Results[i].Metric(k) - r.Results[0].Metric(k)))),
        }).ToArray();
        return new MultiSeedReport(first.Dataset, first.Protocol, first.Users, first.Items, first.Interactions, first.Quick,
            [.. seeds], first.Results[0].Model, rows);
    }

    /// <summary>Mean and sample standard deviation (n - 1; 0 for one value), rounded like the single-seed metrics.</summary>
    public static SeedStatistic Of(IEnumerable<double> values)
    {
        var list = values.ToArray();
        var mean = list.Average();
        var variance = list.Length < 2 ? 0 : list.Sum(v => (v - mean) * (v - mean)) / (list.Length - 1);
        return new SeedStatistic(Math.Round(mean, 6), Math.Round(Math.Sqrt(variance), 6), [.. list.Select(v => Math.Round(v, 6))]);
    }
}
