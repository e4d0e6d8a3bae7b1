using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Plotting;

namespace HyMiRec.Training.Commands;

/// <summary>
/// `trainer plot-sweep`: a metric of HyMiRec against the number of refined interests s and against the target window w,
/// from `trainer benchmark --out` JSON files, as one PNG; multi-seed files (--seeds) plot the mean with the standard
/// deviation as error bars. A row's s and w come from the settings its file records, and from its name read against
/// today's defaults in files written before rows recorded them. Each panel holds the other setting at the value the
/// results vary around (the default on ties), so a sweep run around s = 2 plots as one after the default became s = 3.
/// </summary>
public static partial class PlotCommand
{
    public static Command Create()
    {
        var results = new Option<FileInfo[]>("--results") { Description = "Benchmark JSON files (trainer benchmark --out)", Required = true, AllowMultipleArgumentsPerToken = true };
        var metric = new Option<string>("--metric") { Description = "Metric key, e.g. recall@10", DefaultValueFactory = _ => "recall@10" };
        var output = new Option<FileInfo>("--out") { Description = "PNG file to write", Required = true };
        var width = new Option<int>("--width") { Description = "Image width in pixels (both panels)", DefaultValueFactory = _ => 1200 };
        var height = new Option<int>("--height") { Description = "Image height in pixels", DefaultValueFactory = _ => 500 };
        var command = new Command("plot-sweep", "Plot a metric against s and against w from HyMiRec benchmark results") { results, metric, output, width, height };
        command.SetAction(parse => Cli.Guard(parse, stdout =>
        {
            var key = parse.GetValue(metric)!;
            var rows = parse.GetValue(results)!.SelectMany(f => Read(f.FullName)).ToList();
            var defaults = new HyMiRec.Model.Interests.HyMiRecOptions();
            var sweep = rows.Select(r => (Row: r, Parsed: HyMiRecVariants.TryParse(r.Model, out var o) ? o : null))
                .Where(x => x.Parsed is not null && SweepName().IsMatch(x.Row.Model))
                .Select(x => (x.Row, Size: RowSettings.SizeOf(x.Row) ?? (x.Parsed!.RefinedQueries, x.Parsed.TargetWindow)))
                .Select(x => (x.Row.Model, x.Size.S, x.Size.W, Value: x.Row.Metric(key), Std: x.Row.MetricStd(key)))
                .ToList();
            var fixedW = Anchor(sweep.Select(x => (Held: x.W, Varied: x.S)), defaults.TargetWindow);
            var fixedS = Anchor(sweep.Select(x => (Held: x.S, Varied: x.W)), defaults.RefinedQueries);
            var bySize = sweep.Where(x => x.W == fixedW).GroupBy(x => x.S).OrderBy(g => g.Key)
                .Select(g => new SeriesPoint(g.Key.ToString(CultureInfo.InvariantCulture), g.Last().Value, g.Last().Std)).ToList();
            var byWindow = sweep.Where(x => x.S == fixedS).GroupBy(x => x.W).OrderBy(g => g.Key)
                .Select(g => new SeriesPoint(g.Key.ToString(CultureInfo.InvariantCulture), g.Last().Value, g.Last().Std)).ToList();
            if (bySize.Count + byWindow.Count == 0)
            {
                throw new UsageException("no hymirec, hymirec-sN, hymirec-wN or hymirec-no-window rows in the given results");
            }

            SweepPanel[] panels =
            [
                new($"{key} vs s (w = {fixedW})", "s: refined interests", key, bySize),
                new($"{key} vs w (s = {fixedS})", "w: target window", key, byWindow),
            ];
            SweepChart.Save(
                parse.GetValue(output)!.FullName,
                panels,
                parse.GetValue(width),
                parse.GetValue(height));

            stdout.WriteLine($"panels: {panels[0].Title}; {panels[1].Title}");
            stdout.WriteLine($"| model | s | w | {key} |");
            stdout.WriteLine("|---|---:|---:|---:|");
            foreach (var x in sweep.OrderBy(x => x.S).ThenBy(x => x.W))
            {
                stdout.WriteLine($"| {x.Model} | {x.S} | {x.W} | {x.Value.ToString("F4", CultureInfo.InvariantCulture)}{(x.Std is { } std ? " ± " + std.ToString("F4", CultureInfo.InvariantCulture) : string.Empty)} |");
            }

            stdout.WriteLine($"wrote {parse.GetValue(output)!.FullName}");
            return 0;
        }));
        return command;
    }

    private static IEnumerable<BenchmarkRow> Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<BenchmarkReport>(File.ReadAllText(path))?.Results
                ?? throw new InvalidDataException($"{path}: not a benchmark result");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a benchmark result: {e.Message}", e);
        }
    }

    /// <summary>The held value whose rows vary the other setting most: the axis a sweep was run around.</summary>
    private static int Anchor(IEnumerable<(int Held, int Varied)> points, int preferred) =>
        points.GroupBy(p => p.Held)
            .OrderByDescending(g => g.Select(p => p.Varied).Distinct().Count())
            .ThenByDescending(g => g.Key == preferred)
            .ThenBy(g => g.Key)
            .Select(g => g.Key)
            .DefaultIfEmpty(preferred)
            .First();

    [GeneratedRegex(@"^hymirec(-s[0-9]+|-w[0-9]+|-no-window)*$")]
    private static partial Regex SweepName();
}
