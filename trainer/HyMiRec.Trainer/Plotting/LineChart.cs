using System.Globalization;

namespace HyMiRec.Trainer.Plotting;

/// <summary>One panel: a metric against a setting, points joined in the given order.</summary>
public sealed record ChartPanel(string Title, string XLabel, string YLabel, IReadOnlyList<(string X, double Y)> Points);

/// <summary>Panels side by side on one PNG, sharing the y axis range so they can be compared at a glance.</summary>
public static class LineChart
{
    private const int Scale = 2;
    private const int PanelWidth = 460;
    private const int PanelHeight = 400;
    private static readonly double[] NiceSteps = [1.0, 2.0, 5.0, 10.0];
    private static readonly (byte, byte, byte) White = (255, 255, 255);
    private static readonly (byte, byte, byte) Ink = (40, 40, 40);
    private static readonly (byte, byte, byte) Grid = (225, 225, 225);
    private static readonly (byte, byte, byte) Series = (31, 119, 180);

    public static PngImage Render(IReadOnlyList<ChartPanel> panels)
    {
        var values = panels.SelectMany(p => p.Points).Select(p => p.Y).ToArray();
        if (values.Length == 0)
        {
            throw new ArgumentException("nothing to plot: every panel is empty");
        }

        var (low, high, step) = Ticks(values.Min(), values.Max());
        var image = new PngImage(PanelWidth * panels.Count, PanelHeight, White);
        for (var i = 0; i < panels.Count; i++)
        {
            DrawPanel(image, i * PanelWidth, panels[i], low, high, step);
        }

        return image;
    }

    /// <summary>A "nice" axis: bounds on multiples of a 1, 2 or 5 times a power of ten step, about five ticks.</summary>
    public static (double Low, double High, double Step) Ticks(double min, double max)
    {
        if (max - min < 1e-9)
        {
            (min, max) = (min - 0.01, max + 0.01);
        }

        var rough = (max - min) / 4;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = NiceSteps.Select(m => m * power).First(s => s >= rough);
        return (Math.Floor(min / step) * step, Math.Ceiling(max / step) * step, step);
    }

    private static void DrawPanel(PngImage image, int left, ChartPanel panel, double low, double high, double step)
    {
        const int marginLeft = 95, marginRight = 25, marginTop = 45, marginBottom = 70;
        var (x0, y0) = (left + marginLeft, marginTop);
        var (width, height) = (PanelWidth - marginLeft - marginRight, PanelHeight - marginTop - marginBottom);
        int Y(double v) => y0 + height - (int)Math.Round((v - low) / (high - low) * height);
        int X(int i) => x0 + (panel.Points.Count == 1 ? width / 2 : (int)Math.Round(i * (double)width / (panel.Points.Count - 1)));

        var decimals = Math.Max(0, (int)Math.Ceiling(-Math.Log10(step)));
        for (var v = low; v <= high + (step / 2); v += step)
        {
            image.Line(x0, Y(v), x0 + width, Y(v), Grid);
            var label = v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            PixelFont.Draw(image, label, x0 - 8 - PixelFont.Measure(label, Scale), Y(v) - PixelFont.GlyphHeight, Scale, Ink);
        }

        image.Line(x0, y0, x0, y0 + height, Ink, 2);
        image.Line(x0, y0 + height, x0 + width, y0 + height, Ink, 2);
        for (var i = 0; i < panel.Points.Count; i++)
        {
            var (label, value) = panel.Points[i];
            image.Line(X(i), y0 + height, X(i), y0 + height + 6, Ink, 2);
            PixelFont.Draw(image, label, X(i) - (PixelFont.Measure(label, Scale) / 2), y0 + height + 12, Scale, Ink);
            if (i > 0)
            {
                image.Line(X(i - 1), Y(panel.Points[i - 1].Y), X(i), Y(value), Series, 3);
            }
        }

        foreach (var (i, value) in panel.Points.Select((p, i) => (i, p.Y)))
        {
            image.Fill(X(i) - 5, Y(value) - 5, 11, 11, Series);
        }

        PixelFont.Draw(image, panel.Title, left + ((PanelWidth - PixelFont.Measure(panel.Title, Scale)) / 2), 12, Scale, Ink);
        PixelFont.Draw(image, panel.XLabel, x0 + ((width - PixelFont.Measure(panel.XLabel, Scale)) / 2), y0 + height + 40, Scale, Ink);
        PixelFont.DrawVertical(image, panel.YLabel, left + 8, y0 + ((height + PixelFont.Measure(panel.YLabel, Scale)) / 2), Scale, Ink);
    }
}
