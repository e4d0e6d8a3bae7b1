using System.CommandLine;
using System.Diagnostics;
using HyMiRec.Model.Data;
using HyMiRec.Model.Serving;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Evaluation;
using HyMiRec.Training.Plotting;
using HyMiRec.Training.Training;

namespace HyMiRec.Training.Commands;

/// <summary>
/// `trainer train`: fit one HyMiRec model and write it as a serving artifact with its test metrics, and its loss and
/// validation NDCG per epoch as a PNG beside the artifact (<see cref="CurvesPath"/>). With --select it trains every
/// model of a small grid instead and keeps the one with the best validation NDCG@10 (<see cref="SelectionGrid"/>).
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = DatasetSource.Description, Required = true };
        var model = new Option<string>("--model") { Description = "hymirec or a variant (e.g. hymirec-s3-w8)", DefaultValueFactory = _ => "hymirec" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Artifact directory to write (manifest.json and model files)" };
        var store = new Option<DirectoryInfo?>("--store") { Description = "Model store to publish into instead (a new immutable version, then CURRENT)" };
        var quick = new Option<bool>("--quick") { Description = "Smaller training budget; without --epochs it stops on wall-clock time, so runs do not repeat exactly" };
        var seed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 42 };
        var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads (results depend on it; default: libtorch's choice)" };
        var epochs = new Option<int?>("--epochs") { Description = "Override the epoch budget" };
        var batchSize = new Option<int?>("--batch-size") { Description = "Override the batch size" };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "AdamW's decoupled weight decay (default 0; validation chose 0.1 for HyMiRec on ML-1M and 0 on ML-100K, docs/benchmarks.md)" };
        var recipe = new RecipeFlags();
        var exportClicks = new Option<FileInfo?>("--export-clicks") { Description = "Also write the dataset's clicks in time order as JSON lines (docs/events.md), for `hymirec produce --file`" };
        var textModel = new Option<DirectoryInfo?>("--text-model") { Description = "LLaMA checkpoint directory (config.json, tokenizer.model or tokenizer.json, safetensors): item text from its frozen features" };
        var select = new Option<bool>("--select")
        {
            Description = $"Train each model of a grid (default {string.Join(',', SelectionGrid.Default)}) on the same split and seed " +
                "and keep the best by validation NDCG@10; the manifest lists every candidate's score",
        };
        var selectGrid = new Option<string?>("--select-grid") { Description = "Comma-separated HyMiRec models for --select (implies it), simplest first: ties keep the earlier" };
        var selectDecay = new Option<string?>("--select-weight-decay")
        {
            Description = "Comma-separated weight decays (e.g. 0,0.1): --select (implied) trains every model of its grid with each, " +
                "so validation picks the decay per dataset too; excludes --weight-decay",
        };
        var command = new Command("train", "Train a HyMiRec model and save it as a serving artifact")
        {
            data, model, output, store, quick, seed, threads, epochs, batchSize, weightDecay, exportClicks, textModel, select, selectGrid, selectDecay,
        };
        recipe.AddTo(command);

        command.SetAction(parse => Cli.Guard(parse, stdout =>
        {
            var name = parse.GetValue(model)!;
            if ((parse.GetValue(output) is null) == (parse.GetValue(store) is null))
            {
                throw new UsageException("give exactly one of --out DIR and --store DIR");
            }

            if (!HyMiRecVariants.IsVariant(name))
            {
                throw new UsageException($"'{name}' is not a HyMiRec model; use hymirec or hymirec-<variant>");
            }

            var decays = parse.GetValue(selectDecay) is { } values ? SelectionGrid.ParseDecays(values) : null;
            if (decays is not null && parse.GetResult(weightDecay) is not null)
            {
                throw new UsageException("--weight-decay and --select-weight-decay exclude each other; list every decay to choose from in --select-weight-decay");
            }

            var grid = parse.GetValue(selectGrid) is { } list ? SelectionGrid.Parse(list)
                : parse.GetValue(select) || decays is not null ? SelectionGrid.Default : null;
            if (grid is not null && parse.GetResult(model) is { Implicit: false })
            {
                throw new UsageException("--model and --select exclude each other; list the models to choose from in --select-grid");
            }

            var settings = recipe.Apply(parse, new BenchmarkSettings
            {
                Data = parse.GetValue(data)!,
                Models = grid ?? [name],
                Quick = parse.GetValue(quick),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batchSize),
                WeightDecay = parse.GetValue(weightDecay),
                TextModel = parse.GetValue(textModel)?.FullName,
            });
            var candidates = grid is null ? null : SelectionGrid.Expand(grid, decays);
            BenchmarkSettings SettingsFor(GridCandidate c) => c.WeightDecay is { } decay ? settings with { WeightDecay = decay } : settings;
            var flags = Cli.Flags(epochs, batchSize, decays is null ? weightDecay : selectDecay);
            recipe.AddTo(flags);

            Cli.CheckFlags(parse, flags, () =>
            {
                // CheckSettings covers every model of the grid; only the decay differs between candidates.
                foreach (var candidate in (candidates ?? [new GridCandidate(name, null)]).DistinctBy(c => c.WeightDecay))
                {
                    ModelCatalog.CheckSettings(SettingsFor(candidate));
                }
            });
            var reporter = new CurveRecorder(new ConsoleTrainingReporter(Console.Error));
            TorchThreads.Apply(settings.Threads, reporter);
            var dataset = DatasetSource.Load(settings.Data, settings.Seed);
            var split = LeaveOneOutSplit.Create(dataset);
            if (parse.GetValue(exportClicks) is { } clicks)
            {
                ClickExport.Write(clicks.FullName, dataset);
                stdout.WriteLine($"clicks written to {clicks.FullName}");
            }

            var checkpoint = ModelCatalog.OpenTextModel(settings, dataset);
            HyMiRecRecommender Create(GridCandidate c) => (HyMiRecRecommender)ModelCatalog.Create(c.Model, SettingsFor(c), checkpoint, dataset.HasItemText);
            var clock = Stopwatch.StartNew();
            var (recommender, selection) = candidates is null ? (Create(new GridCandidate(name, null)), null) : SelectionGrid.Select(candidates, Create, split, reporter);
            using var disposeRecommender = recommender;
            if (selection is null)
            {
                recommender.Fit(split, reporter);
            }
            else
            {
                stdout.WriteLine($"selected {selection.Chosen} by {selection.Metric} of " +
                    string.Join(", ", selection.Candidates.Select(c => $"{c.Model} {c.Validation:F4}")));
            }

            var metrics = Evaluator.Evaluate(recommender, split.Test, excludeHistory: true)
                .ToDictionary(kv => "test/" + kv.Key, kv => Math.Round(kv.Value, 6));
            metrics["trainSeconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1); // with --select, what the whole choice cost
            metrics["epochs"] = recommender.EpochsRun;
            TrainingRecipe.Record(metrics, recommender);
            metrics["stoppedByBudget"] = recommender.StoppedByBudget ? 1 : 0; // 1: the time budget ended training, possibly inside an epoch
            var (manifest, where) = Write(recommender, dataset, metrics, selection, parse.GetValue(output), parse.GetValue(store));
            stdout.WriteLine($"model {manifest.ModelVersion} (codebook {manifest.CodebookVersion}) written to {where}");
            stdout.WriteLine($"test recall@10 {metrics["test/recall@10"]:F4}, ndcg@10 {metrics["test/ndcg@10"]:F4}");
            var curves = CurvesPath(parse.GetValue(output), parse.GetValue(store), manifest.ModelVersion);
            if (CurveChart.TrySave(curves, reporter.Curves))
            {
                stdout.WriteLine($"training curves written to {curves}");
            }

            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Outside the artifact, whose files the manifest lists and checks: --out DIR gives DIR.curves.png, --store ROOT
    /// gives ROOT/VERSION.curves.png beside CURRENT.
    /// </summary>
    public static string CurvesPath(DirectoryInfo? output, DirectoryInfo? store, string version) => output is not null
        ? Path.TrimEndingDirectorySeparator(output.FullName) + ".curves.png"
        : Path.Combine(store!.FullName, version + ".curves.png");

    private static (ModelManifest Manifest, string Where) Write(HyMiRecRecommender recommender, InteractionDataset dataset,
        Dictionary<string, double> metrics, ModelSelection? selection, DirectoryInfo? output, DirectoryInfo? storeDirectory)
    {
        if (output is not null)
        {
            return (Save(recommender, output.FullName, dataset, metrics, selection), output.FullName);
        }

        var store = new ModelStore(storeDirectory!.FullName);
        var staging = store.CreateStaging();
        Save(recommender, staging, dataset, metrics, selection);
        var manifest = store.AddVersion(staging);
        store.SetCurrent(manifest.ModelVersion);
        return (manifest, $"{store.DirectoryOf(manifest.ModelVersion)} (now CURRENT in {store.Root})");
    }

    private static ModelManifest Save(HyMiRecRecommender recommender, string directory, InteractionDataset dataset,
        Dictionary<string, double> metrics, ModelSelection? selection)
    {
        var manifest = recommender.SaveArtifact(directory, dataset, metrics);
        return selection is null ? manifest : InterestModelStore.Annotate(directory, m => m with { Selection = selection });
    }
}
