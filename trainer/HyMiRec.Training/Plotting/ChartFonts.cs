namespace HyMiRec.Training.Plotting;

/// <summary>
/// Gives every chart a font that exists. ScottPlot's SkiaSharp build here is the one without fontconfig (no native
/// dependencies beyond glibc), so fonts cannot be looked up by family name; we register a TrueType file by path instead.
/// </summary>
public static class ChartFonts
{
    private const string Family = "HyMiRec Sans";

    // Preferred first: DejaVu ships with Debian's fontconfig (fonts-dejavu-core), Liberation on many other distributions.
    private static readonly string[] Preferred = ["DejaVuSans.ttf", "LiberationSans-Regular.ttf", "NotoSans-Regular.ttf", "FreeSans.ttf"];
    private static readonly string[] Roots = ["/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "/System/Library/Fonts", @"C:\Windows\Fonts"];
    private static readonly Lazy<string?> Registered = new(Register);

    /// <summary>The TrueType file charts draw text with, or null where the machine has none (text is then left out).</summary>
    public static string? FontFile => Registered.Value;

    public static void Apply(ScottPlot.Plot plot)
    {
        if (Registered.Value is not null)
        {
            plot.Font.Set(Family);
        }
    }

    private static string? Register()
    {
        var file = Find();
        if (file is null)
        {
            Console.Error.WriteLine("warning: no TrueType font found (e.g. apt-get install fonts-dejavu-core); charts will have no text");
            return null;
        }

        ScottPlot.Fonts.AddFontFile(Family, file);
        return file;
    }

    private static string? Find()
    {
        var files = Roots.Where(Directory.Exists)
            .SelectMany(root => Directory.EnumerateFiles(root, "*.ttf", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
            .ToList();
        foreach (var name in Preferred)
        {
            if (files.FirstOrDefault(f => string.Equals(Path.GetFileName(f), name, StringComparison.OrdinalIgnoreCase)) is { } match)
            {
                return match;
            }
        }

        return files.Order(StringComparer.Ordinal).FirstOrDefault();
    }
}
