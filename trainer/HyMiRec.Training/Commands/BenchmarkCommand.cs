using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HyMiRec.Model.Interests;
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
        var learningRate = new Option<double?>("--learning-rate") { Description = "Override the learning rate of neural models" };
        var temperature = new Option<double?>("--temperature") { Description = "Override the softmax temperature of the neural models' cosine logits (default 0.05)" };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "Override the decoupled (AdamW) weight decay of the neural models (default 0)" };
        var dropout = new Option<double?>("--dropout") { Description = "Override the neural models' dropout (default 0.2): SASRec's embeddings and blocks, HyMiRec's transformer blocks (text tower included)" };
        var negatives = new Option<int?>("--negatives") { Description = "Override the sampled negatives (default 128; at least the catalog size: full softmax)" };
        var negativeSampling = new Option<NegativeSampling?>("--negative-sampling") { Description = "Batch: one set of negatives for the whole batch (HyMiRec's default); Sequence: a set per training sequence (SASRec's default)" };
        var evaluateEvery = new Option<int?>("--eval-every") { Description = "Validate every N epochs (default 5 quick, 10 full)" };
        var budget = new Option<double?>("--budget-minutes") { Description = "Wall-clock training budget per neural model in minutes, checked between batches (quick default 9)" };
        var itemInitStd = new Option<double?>("--item-init-std") { Description = "Item id embedding std at initialisation: SASRec (default 0.02; 0 for the former 1/sqrt(dimension)) and HyMiRec (default: 0.02 above 2,048 items, else 1/sqrt(dimension); 0 for 1/sqrt(dimension))" };
        var mergedWeight = new Option<double?>("--merged-weight") { Description = "HyMiRec: weight of the merged next-item loss added to DMIL (default 1; 0: DMIL alone)" };
        var positionWeight = new Option<double?>("--position-weight") { Description = "HyMiRec: weight of the per-position next-item loss on the refined recommender's item tokens (default 1; 0 turns it off)" };
        var (coarseWeight, coarsePositions) = Cli.CoarseLossFlags();
        var averageEpochs = new Option<double?>("--average-epochs") { Description = "Validate and keep a moving average of the weights with this time constant in epochs (default 2; 0 validates and keeps the live weights)" };
        var stageOneEpochs = new Option<int?>("--stage-one-epochs") { Description = "HyMiRec: end Stage 1 after this many epochs (sooner on its validation plateau) instead of a share of the epochs and of --budget-minutes, so the machine's load cannot move where it ends" };
        var historyCrops = new Option<bool>("--history-crops") { Description = "HyMiRec: train each epoch on a random window of each long sequence instead of its newest items" };
        var maxHistory = new Option<int?>("--max-history") { Description = "Newest events of a history a model reads when it scores (validation, test, serving); training is unchanged. HyMiRec: default 1024, the refined recommender reads only the latest n x its blocks of them, the lightweight recommender all; training reads each sequence's newest 128. SASRec: default and most its length (--sasrec-length, 200)" };
        var sasRecLength = new Option<int?>("--sasrec-length") { Description = "SASRec: newest events of a sequence it trains on and reads when it scores (default 200)" };
        var sequenceLength = new Option<int?>("--sequence-length") { Description = "HyMiRec: newest events of each training sequence a step reads (default 128)" };
        var scoring = new Option<InterestScoring?>("--scoring") { Description = "HyMiRec: what ranks items at validation and test: Interests (default), InterestsAndLastItem (also the last item token's next-item output), LastItem (that output alone; diagnostic)" };
        var cuts = new Option<int?>("--cuts") { Description = "HyMiRec: cut points (training samples) drawn per sequence and step (default 12)" };
        var export = new Option<FileInfo?>("--export-embeddings") { Description = "Write SASRec's item embeddings (.npy, rows 1..N)" };
        var textModel = new Option<DirectoryInfo?>("--text-model") { Description = "LLaMA checkpoint directory (config.json, tokenizer.model or tokenizer.json, safetensors): HyMiRec item text from its frozen features" };
        var command = new Command("benchmark", "Train and evaluate models on a leave-one-out split with full ranking")
        {
            data, models, output, quick, keepHistory, traceTest, seed, seeds, threads, epochs, batchSize, learningRate, temperature, weightDecay, dropout, negatives, negativeSampling,
            evaluateEvery, budget, itemInitStd, mergedWeight, positionWeight, coarseWeight, coarsePositions, averageEpochs, stageOneEpochs, historyCrops, sequenceLength, scoring, sasRecLength, cuts, maxHistory, export, textModel,
        };
        // The options' properties these flags set: a value out of range is refused by the options' own rule, under the flag.
        var flags = new Dictionary<string, Option>(Cli.Flags(epochs, batchSize, weightDecay), StringComparer.Ordinal)
        {
            [nameof(TrainingOptions.LearningRate)] = learningRate,
            [nameof(TrainingOptions.Temperature)] = temperature,
            [nameof(TrainingOptions.Negatives)] = negatives,
            [nameof(TrainingOptions.EvaluateEvery)] = evaluateEvery,
            [nameof(TrainingOptions.TimeBudget)] = budget,
            [nameof(TrainingOptions.AverageEpochs)] = averageEpochs,
            [nameof(HyMiRecOptions.Dropout)] = dropout, // SasRecOptions.Dropout too: the same name
            [nameof(HyMiRecOptions.IdInitStd)] = itemInitStd,
            [nameof(SasRecOptions.ItemInitStd)] = itemInitStd,
            [nameof(SasRecOptions.MaxLength)] = sasRecLength,
            [nameof(HyMiRecTrainingOptions.MergedNextItemWeight)] = mergedWeight,
            [nameof(HyMiRecTrainingOptions.PositionNextItemWeight)] = positionWeight,
            [nameof(HyMiRecTrainingOptions.CoarseNextItemWeight)] = coarseWeight,
            [nameof(HyMiRecTrainingOptions.CoarseNextItemPositions)] = coarsePositions,
            [nameof(HyMiRecTrainingOptions.StageOneEpochs)] = stageOneEpochs,
            [nameof(HyMiRecTrainingOptions.CutsPerSequence)] = cuts,
            [nameof(HyMiRecTrainingOptions.Scoring)] = scoring,
            [nameof(HyMiRecTrainingOptions.SequenceLength)] = sequenceLength,
            [nameof(HyMiRecOptions.MaxHistory)] = maxHistory, // SasRecOptions.MaxHistory too: the same name
        };
        command.SetAction(parse => Cli.Guard(parse, stdout =>
        {
            var seedList = Seeds(parse, seed, seeds);
            if (parse.GetValue(output) is { } target && ChartPaths(target.FullName) is var charts
                && (charts.Bars == target.FullName || charts.Curves == target.FullName))
            {
                throw new UsageException($"--out {target.Name}: the charts would overwrite the JSON; name it e.g. results.json");
            }

            var settings = new BenchmarkSettings
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
                LearningRate = parse.GetValue(learningRate),
                Temperature = parse.GetValue(temperature),
                WeightDecay = parse.GetValue(weightDecay),
                Dropout = parse.GetValue(dropout),
                Negatives = parse.GetValue(negatives),
                NegativeSampling = parse.GetValue(negativeSampling),
                EvaluateEvery = parse.GetValue(evaluateEvery),
                ItemInitStd = parse.GetValue(itemInitStd),
                MergedWeight = parse.GetValue(mergedWeight),
                PositionWeight = parse.GetValue(positionWeight),
                CoarseWeight = parse.GetValue(coarseWeight),
                CoarsePositions = parse.GetValue(coarsePositions),
                AverageEpochs = parse.GetValue(averageEpochs),
                StageOneEpochs = parse.GetValue(stageOneEpochs),
                HistoryCrops = parse.GetValue(historyCrops) ? true : null,
                CutsPerSequence = parse.GetValue(cuts),
                Scoring = parse.GetValue(scoring),
                SasRecLength = parse.GetValue(sasRecLength),
                SequenceLength = parse.GetValue(sequenceLength),
                MaxHistory = parse.GetValue(maxHistory),
                TimeBudget = parse.GetValue(budget) is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
                ExportEmbeddings = parse.GetValue(export)?.FullName,
                TextModel = parse.GetValue(textModel)?.FullName,
            };
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

        var values = list.Split(',', StringSplitOptions.TrimEntries).Select(s =>
            int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
                : throw new UsageException($"--seeds: '{s}' is not an integer")).ToArray();
        return values.Distinct().Count() == values.Length ? values
            : throw new UsageException($"--seeds: {list} repeats a seed (a repeated seed repeats the same run)");
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
