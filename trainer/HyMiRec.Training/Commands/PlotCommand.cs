using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Plotting;

namespace HyMiRec.Training.Commands;

/// <summary>
/// `trainer plot-sweep`: a metric of HyMiRec against the number of refined interests s (window at its default) and
/// against the target window w (s at its default), from `trainer benchmark --out` JSON files, as one PNG; multi-seed
/// files (--seeds) plot the mean with the standard deviation as error bars.
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
                .Select(x => (x.Row.Model, S: x.Parsed!.RefinedQueries, W: x.Parsed.TargetWindow, Value: x.Row.Metric(key), Std: x.Row.MetricStd(key)))
                .ToList();
            var bySize = sweep.Where(x => x.W == defaults.TargetWindow).GroupBy(x => x.S).OrderBy(g => g.Key)
                .Select(g => new SeriesPoint(g.Key.ToString(CultureInfo.InvariantCulture), g.Last().Value, g.Last().Std)).ToList();
            var byWindow = sweep.Where(x => x.S == defaults.RefinedQueries).GroupBy(x => x.W).OrderBy(g => g.Key)
                .Select(g => new SeriesPoint(g.Key.ToString(CultureInfo.InvariantCulture), g.Last().Value, g.Last().Std)).ToList();
            if (bySize.Count + byWindow.Count == 0)
            {
                throw new UsageException("no hymirec, hymirec-sN, hymirec-wN or hymirec-no-window rows in the given results");
            }

            SweepChart.Save(
                parse.GetValue(output)!.FullName,
                [
                    new SweepPanel($"{key} vs s (w = {defaults.TargetWindow})", "s: refined interests", key, bySize),
                    new SweepPanel($"{key} vs w (s = {defaults.RefinedQueries})", "w: target window", key, byWindow),
                ],
                parse.GetValue(width),
                parse.GetValue(height));

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

    [GeneratedRegex(@"^hymirec(-s[0-9]+|-w[0-9]+|-no-window)*$")]
    private static partial Regex SweepName();
}
