namespace HyMiRec.Training.Plotting;

/// <summary>One model's metrics for the bar chart, in the order the metrics should appear.</summary>
public sealed record ModelMetrics(string Model, IReadOnlyList<SeriesPoint> Metrics);

/// <summary>
/// Benchmark metrics as grouped bars: one group per metric (recall@10, ndcg@10, ...), one bar per model in a colour
/// of its own, with the seed standard deviation as an error bar where there is one.
/// </summary>
public static class MetricBarChart
{
    public const int DefaultWidth = 1200;
    public const int DefaultHeight = 500;

    public static void Save(string path, string title, IReadOnlyList<ModelMetrics> models, int width, int height)
    {
        var keys = models.SelectMany(m => m.Metrics).Select(m => m.Label).Distinct().ToList();
        if (models.Count == 0 || keys.Count == 0)
        {
            throw new UsageException("nothing to plot: no model has metrics");
        }

        var plot = new ScottPlot.Plot();
        plot.Title(title);
        plot.YLabel("value");
        var palette = new ScottPlot.Palettes.Category10();
        var slot = 1.0 / (models.Count + 1); // leaves one empty slot between groups
        for (var m = 0; m < models.Count; m++)
        {
            var color = palette.GetColor(m);
            var bars = models[m].Metrics.Select(point => new ScottPlot.Bar
            {
                Position = keys.IndexOf(point.Label) + (m - (models.Count - 1) / 2.0) * slot,
                Value = point.Value,
                Error = point.Std ?? 0,
                Size = slot * 0.9,
                FillColor = color,
            }).ToList();
            plot.Add.Bars(bars).LegendText = models[m].Model;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, keys.Count).Select(i => (double)i).ToArray(), [.. keys]);
        plot.Axes.Margins(bottom: 0); // bars start at zero, not floating above it
        plot.ShowLegend(ScottPlot.Edge.Right); // outside the data area: recall@200 bars reach the top
        ChartImage.Save(path, [plot], width, height);
    }
}
