using HyMiRec.Training.Training;

namespace HyMiRec.Training.Plotting;

/// <summary>Training loss (left) and validation NDCG@10 (right) per epoch, one line per training run.</summary>
public static class CurveChart
{
    public const int DefaultWidth = 1200;
    public const int DefaultHeight = 500;

    /// <summary>
    /// Writes the chart and returns true; returns false, writing nothing, when no run reported an epoch (popularity
    /// and other models without training loops), as an empty chart would only look like a failure.
    /// </summary>
    public static bool TrySave(string path, IReadOnlyList<TrainingCurve> curves, int width = DefaultWidth, int height = DefaultHeight)
    {
        var runs = curves.Where(c => c.Epochs.Count > 0).ToList();
        if (runs.Count == 0)
        {
            return false;
        }

        var loss = Panel("training loss", "loss");
        var validation = Panel("validation ndcg@10", "ndcg@10");

        // One legend for both panels (same colour per run), on the loss panel as it has every run (validation may
        // not), and outside the data so it hides no line.
        loss.ShowLegend(ScottPlot.Edge.Right);
        validation.HideLegend();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < runs.Count; i++)
        {
            var color = palette.GetColor(i);
            Line(loss, runs[i].Run, color, [.. runs[i].Epochs.Where(e => e.Loss is not null).Select(e => (e.Epoch, e.Loss!.Value))]);

            // Validation runs every few epochs only; the line joins the epochs that have one.
            Line(validation, runs[i].Run, color, [.. runs[i].Epochs.Where(e => e.Validation is not null).Select(e => (e.Epoch, e.Validation!.Value))]);
        }

        ChartImage.Save(path, [loss, validation], width, height);
        return true;
    }

    private static ScottPlot.Plot Panel(string title, string yLabel)
    {
        var plot = new ScottPlot.Plot();
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }

    private static void Line(ScottPlot.Plot plot, string label, ScottPlot.Color color, IReadOnlyList<(int Epoch, double Value)> points)
    {
        if (points.Count == 0)
        {
            return;
        }

        var line = plot.Add.Scatter(points.Select(p => (double)p.Epoch).ToArray(), points.Select(p => p.Value).ToArray(), color);
        line.LegendText = label;
        line.LineWidth = 2;
        line.MarkerSize = 5;
    }
}
