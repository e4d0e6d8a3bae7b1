using System.Globalization;
using System.Text;

namespace HyMiRec.Training.Benchmark;

public static class MarkdownTable
{
    public static readonly string[] MetricKeys = ["recall@10", "ndcg@10", "recall@50", "ndcg@50", "recall@200", "ndcg@200"];

    public static string Render(BenchmarkReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Dataset {report.Dataset}: {report.Users} users, {report.Items} items, {report.Interactions} interactions; {report.Protocol}");
        text.AppendLine();
        AppendHeader(text, " train s | params |", "---:|---:|");
        foreach (var row in report.Results)
        {
            var metrics = string.Join(" | ", MetricKeys.Select(k => row.Metric(k).ToString("F4", CultureInfo.InvariantCulture)));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Model} | {metrics} | {row.TrainSeconds:F1} | {row.Params:N0} |");
        }

        return text.ToString();
    }

    /// <summary>Mean ± std per model, then each model's paired difference to the baseline with its per-seed values.</summary>
    public static string Render(MultiSeedReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Dataset {report.Dataset}: {report.Users} users, {report.Items} items, {report.Interactions} interactions; {report.Protocol}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Seeds {string.Join(", ", report.Seeds)}: mean ± sample standard deviation over {report.Seeds.Count} training runs per model on the same data and split.");
        text.AppendLine();
        AppendHeader(text, " train s | params |", "---:|---:|");
        foreach (var row in report.Results)
        {
            var metrics = string.Join(" | ", MetricKeys.Select(k => MeanStd(row.Metric(k), "F4")));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Model} | {metrics} | {row.TrainSeconds:F1} | {row.Params:N0} |");
        }

        if (report.Results.Count < 2)
        {
            return text.ToString();
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Paired difference to {report.Baseline} (a model's value minus {report.Baseline}'s on the same seed): mean ± std [per seed, in seed order]");
        text.AppendLine();
        AppendHeader(text, string.Empty, string.Empty);
        foreach (var row in report.Results.Where(r => r.PairedDifference is not null))
        {
            var cells = MetricKeys.Select(k => row.PairedDifference![k]).Select(d =>
                $"{MeanStd(d, "+0.0000;-0.0000")} [{string.Join(", ", d.PerSeed.Select(v => v.ToString("+0.0000;-0.0000", CultureInfo.InvariantCulture)))}]");
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Model} | {string.Join(" | ", cells)} |");
        }

        return text.ToString();
    }

    private static void AppendHeader(StringBuilder text, string extraColumns, string extraAlignment)
    {
        var names = MetricKeys.Select(k => k.Replace("recall", "R", StringComparison.Ordinal).Replace("ndcg", "N", StringComparison.Ordinal));
        text.AppendLine("| model | " + string.Join(" | ", names) + " |" + extraColumns);
        text.AppendLine("|---|" + string.Concat(MetricKeys.Select(_ => "---:|")) + extraAlignment);
    }

    private static string MeanStd(SeedStatistic statistic, string format) =>
        $"{statistic.Mean.ToString(format, CultureInfo.InvariantCulture)} ± {statistic.Std.ToString("F4", CultureInfo.InvariantCulture)}";
}
