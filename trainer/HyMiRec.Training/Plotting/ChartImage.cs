using SkiaSharp;

namespace HyMiRec.Training.Plotting;

/// <summary>Panels side by side on one PNG: one file per figure is easier to keep beside results than one per panel.</summary>
public static class ChartImage
{
    public static void Save(string path, IReadOnlyList<ScottPlot.Plot> panels, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(panels.Count, 1);
        if (width < 100 * panels.Count || height < 100)
        {
            throw new UsageException($"a {width}x{height} image is too small for {panels.Count} panel(s): give at least {100 * panels.Count}x100");
        }

        using var surface = SKSurface.Create(new SKImageInfo(width, height)) ?? throw new InvalidOperationException($"SkiaSharp could not allocate a {width}x{height} surface");
        surface.Canvas.Clear(SKColors.White);
        for (var i = 0; i < panels.Count; i++)
        {
            // Integer edges so the panels tile the width exactly, whatever it is.
            var left = width * i / panels.Count;
            var right = width * (i + 1) / panels.Count;
            ChartFonts.Apply(panels[i]);

            // Each panel on a surface of its own: a plot clears the whole canvas it is given before drawing.
            using var panel = SKSurface.Create(new SKImageInfo(right - left, height)) ?? throw new InvalidOperationException($"SkiaSharp could not allocate a {right - left}x{height} surface");
            panels[i].Render(panel);
            using var drawn = panel.Snapshot();
            surface.Canvas.DrawImage(drawn, left, 0);
        }

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        using var file = File.Create(path);
        png.SaveTo(file);
    }
}
