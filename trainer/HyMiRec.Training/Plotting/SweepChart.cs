namespace HyMiRec.Training.Plotting;

/// <summary>One panel of a sweep: a metric against the values of one setting, in the given order.</summary>
public sealed record SweepPanel(string Title, string XLabel, string YLabel, IReadOnlyList<SeriesPoint> Points);

/// <summary>Sweep panels side by side, sharing the y range so the two settings' effects compare at a glance.</summary>
public static class SweepChart
{
    public static void Save(string path, IReadOnlyList<SweepPanel> panels, int width, int height)
    {
        var all = panels.SelectMany(p => p.Points).ToList();
        if (all.Count == 0)
        {
            throw new UsageException("nothing to plot: every panel is empty");
        }

        var low = all.Min(p => p.Value - (p.Std ?? 0));
        var high = all.Max(p => p.Value + (p.Std ?? 0));
        var pad = Math.Max((high - low) * 0.1, Math.Abs(high) * 0.01 + 1e-9);
        var plots = panels.Select(panel => Panel(panel, low - pad, high + pad)).ToList();
        ChartImage.Save(path, plots, width, height);
    }

    private static ScottPlot.Plot Panel(SweepPanel panel, double low, double high)
    {
        var plot = new ScottPlot.Plot();
        plot.Title(panel.Title);
        plot.XLabel(panel.XLabel);
        plot.YLabel(panel.YLabel);

        // Settings sit at evenly spaced positions labelled with their values: "no window" and 1..64 share one axis.
        var xs = Enumerable.Range(0, panel.Points.Count).Select(i => (double)i).ToArray();
        var ys = panel.Points.Select(p => p.Value).ToArray();
        if (xs.Length > 0)
        {
            var line = plot.Add.Scatter(xs, ys);
            line.LineWidth = 2;
            line.MarkerSize = 8;
            if (panel.Points.Any(p => p.Std is not null))
            {
                var errors = plot.Add.ErrorBar(xs, ys, panel.Points.Select(p => p.Std ?? 0).ToArray());
                errors.Color = line.Color;
            }

            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(xs, panel.Points.Select(p => p.Label).ToArray());
        }

        plot.Axes.SetLimitsX(-0.5, Math.Max(xs.Length - 0.5, 0.5));
        plot.Axes.SetLimitsY(low, high);
        return plot;
    }
}
