using System.CommandLine;
using System.Text.Json;
using HyMiRec.Model.Modules;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Plotting;
using HyMiRec.Training.Training;

namespace HyMiRec.Training.Commands;

/// <summary>
/// `trainer benchmark`: train and evaluate models side by side on one leave-one-out split. With --out results.json it
/// also writes results.png (metrics per model as grouped bars) and results.curves.png (loss and validation per epoch).
/// </summary>
public static class BenchmarkCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = DatasetSource.Description, Required = true };
        var models = new Option<string>("--models") { Description = $"Comma-separated models: {string.Join(", ", ModelCatalog.Names)}", DefaultValueFactory = _ => "popularity,sasrec" };
        var output = new Option<FileInfo?>("--out") { Description = "Write the results as JSON to this file, with charts beside it (results.json: results.png, results.curves.png)" };
        var quick = new Option<bool>("--quick") { Description = "Smaller training budget (minutes, not an hour); without --epochs it stops on wall-clock time, so runs do not repeat exactly" };
        var keepHistory = new Option<bool>("--keep-history") { Description = "Keep the user's own input items in the ranking" };
        var traceTest = new Option<bool>("--trace-test") { Description = "Diagnostic: beside each validation, also rank the test cases with the same weights and log both (never used for any choice)" };
        var seed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 42 };
        var seeds = new Option<string?>("--seeds") { Description = "Comma-separated seeds (e.g. 42,1,2): every model once per seed; mean, std and paired differences to the first model" };
        var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads (results depend on it; default: libtorch's choice)" };
        var epochs = new Option<int?>("--epochs") { Description = "Override the epoch budget of neural models" };
        var batchSize = new Option<int?>("--batch-size") { Description = "Override the batch size of neural models" };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "Override the decoupled (AdamW) weight decay of the neural models (default 0)" };
        var sasRecLength = new Option<int?>("--sasrec-length") { Description = "SASRec: newest events of a sequence it trains on and reads when it scores (default 200)" };
        var scoring = new Option<InterestScoring?>("--scoring") { Description = "HyMiRec: what ranks items at validation and test: Interests (default), InterestsAndLastItem (also the last item token's next-item output), LastItem (that output alone; diagnostic)" };
        var recipe = new RecipeFlags();
        var export = new Option<FileInfo?>("--export-embeddings") { Description = "Write SASRec's item embeddings (.npy, rows 1..N)" };
        var textModel = new Option<DirectoryInfo?>("--text-model") { Description = "LLaMA checkpoint directory (config.json, tokenizer.model or tokenizer.json, safetensors): HyMiRec item text from its frozen features" };
        var command = new Command("benchmark", "Train and evaluate models on a leave-one-out split with full ranking")
        {
            data, models, output, quick, keepHistory, traceTest, seed, seeds, threads, epochs, batchSize, weightDecay, scoring, sasRecLength, export, textModel,
        };
        recipe.AddTo(command);

        // The options' properties these flags set: a value out of range is refused by the options' own rule, under the flag.
        var flags = new Dictionary<string, Option>(Cli.Flags(epochs, batchSize, weightDecay), StringComparer.Ordinal)
        {
            [nameof(SasRecOptions.MaxLength)] = sasRecLength,
            [nameof(HyMiRecTrainingOptions.Scoring)] = scoring,
        };
        recipe.AddTo(flags);

        command.SetAction(parse => Cli.Guard(parse, stdout =>
        {
            var seedList = Seeds(parse, seed, seeds);
            if (parse.GetValue(output) is { } target && ChartPaths(target.FullName) is var charts
                && (charts.Bars == target.FullName || charts.Curves == target.FullName))
            {
                throw new UsageException($"--out {target.Name}: the charts would overwrite the JSON; name it e.g. results.json");
            }

            var settings = recipe.Apply(parse, new BenchmarkSettings
            {
                Data = parse.GetValue(data)!,
                Models = parse.GetValue(models)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Quick = parse.GetValue(quick),
                KeepHistory = parse.GetValue(keepHistory),
                TraceTest = parse.GetValue(traceTest),
                Seed = seedList[0],
                Threads = parse.GetValue(threads),
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batchSize),
                WeightDecay = parse.GetValue(weightDecay),
                Scoring = parse.GetValue(scoring),
                SasRecLength = parse.GetValue(sasRecLength),
                ExportEmbeddings = parse.GetValue(export)?.FullName,
                TextModel = parse.GetValue(textModel)?.FullName,
            });
            Cli.CheckFlags(parse, flags, () => ModelCatalog.CheckSettings(settings));
            var reporter = new CurveRecorder(new ConsoleTrainingReporter(Console.Error));

            // One seed keeps the single-run JSON shape that earlier result files (docs/results) have.
            var (table, json, chart) = seedList.Length == 1
                ? Rendered(BenchmarkRunner.Run(settings, reporter))
                : Rendered(BenchmarkRunner.RunSeeds(settings, seedList, reporter));
            stdout.WriteLine(table);
            if (parse.GetValue(output) is { } file)
            {
                File.WriteAllText(file.FullName, json);
                Console.Error.WriteLine($"wrote {file.FullName}");
                var (barsPath, curvesPath) = ChartPaths(file.FullName);
                MetricBarChart.Save(barsPath, chart.Title, chart.Models, MetricBarChart.DefaultWidth, MetricBarChart.DefaultHeight);
                Console.Error.WriteLine($"wrote {barsPath}");
                if (CurveChart.TrySave(curvesPath, reporter.Curves))
                {
                    Console.Error.WriteLine($"wrote {curvesPath}");
                }
            }

            return 0;
        }));
        return command;
    }

    /// <summary>--seeds if given (distinct integers), else --seed; giving both is a mistake, not a preference.</summary>
    private static int[] Seeds(ParseResult parse, Option<int> seed, Option<string?> seeds)
    {
        if (parse.GetValue(seeds) is not { } list)
        {
            return [parse.GetValue(seed)];
        }

        if (parse.GetResult(seed) is { Implicit: false })
        {
            throw new UsageException("give --seed or --seeds, not both");
        }

        return IntegerList.Parse("--seeds", list, "a seed (a repeated seed repeats the same run)");
    }

    /// <summary>results.json: results.png and results.curves.png, so a directory listing keeps each run's files together.</summary>
    public static (string Bars, string Curves) ChartPaths(string json)
    {
        var stem = Path.Combine(Path.GetDirectoryName(json) ?? string.Empty, Path.GetFileNameWithoutExtension(json));
        return (stem + ".png", stem + ".curves.png");
    }

    private static (string Table, string Json, (string Title, IReadOnlyList<ModelMetrics> Models) Chart) Rendered(BenchmarkReport report) =>
        (MarkdownTable.Render(report), JsonSerializer.Serialize(report, Json),
         ($"{report.Dataset}: test metrics",
          [.. report.Results.Select(r => new ModelMetrics(r.Model, [.. MarkdownTable.MetricKeys.Select(k => new SeriesPoint(k, r.Metric(k)))]))]));

    private static (string Table, string Json, (string Title, IReadOnlyList<ModelMetrics> Models) Chart) Rendered(MultiSeedReport report) =>
        (MarkdownTable.Render(report), JsonSerializer.Serialize(report, Json),
         ($"{report.Dataset}: test metrics, mean and std over {report.Seeds.Count} seeds",
          [.. report.Results.Select(r => new ModelMetrics(r.Model, [.. MarkdownTable.MetricKeys.Select(k => new SeriesPoint(k, r.Metric(k).Mean, r.Metric(k).Std))]))]));
}
