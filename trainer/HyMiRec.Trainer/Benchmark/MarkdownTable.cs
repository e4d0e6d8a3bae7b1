using System.Globalization;
using System.Text;

namespace HyMiRec.Trainer.Benchmark;

public static class MarkdownTable
{
    public static readonly string[] MetricKeys = ["recall@10", "ndcg@10", "recall@50", "ndcg@50", "recall@200", "ndcg@200"];

    public static string Render(BenchmarkReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Dataset {report.Dataset}: {report.Users} users, {report.Items} items, {report.Interactions} interactions; {report.Protocol}");
        text.AppendLine();
        text.AppendLine("| model | " + string.Join(" | ", MetricKeys.Select(k => k.Replace("recall", "R", StringComparison.Ordinal).Replace("ndcg", "N", StringComparison.Ordinal))) + " | train s | params |");
        text.AppendLine("|---|" + string.Concat(MetricKeys.Select(_ => "---:|")) + "---:|---:|");
        foreach (var row in report.Results)
        {
            var metrics = string.Join(" | ", MetricKeys.Select(k => row.Metric(k).ToString("F4", CultureInfo.InvariantCulture)));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Model} | {metrics} | {row.TrainSeconds:F1} | {row.Params:N0} |");
        }

        return text.ToString();
    }
}
