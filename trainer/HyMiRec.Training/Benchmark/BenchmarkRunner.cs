using System.Diagnostics;
using System.Text.Json.Nodes;
using HyMiRec.Model.Data;
using HyMiRec.Model.Pretrained;
using HyMiRec.Training.Evaluation;
using HyMiRec.Training.Training;

namespace HyMiRec.Training.Benchmark;

/// <summary>Loads a dataset, splits it leave-one-out, trains each model and evaluates all on the same test cases.</summary>
public static class BenchmarkRunner
{
    public static BenchmarkReport Run(BenchmarkSettings settings, ITrainingReporter reporter)
    {
        ModelCatalog.Validate(settings); // fail on a bad name before any training
        TorchThreads.Apply(settings.Threads, reporter);
        var split = Split(settings, reporter);
        return RunModels(settings, split, ModelCatalog.OpenTextModel(settings, split.Dataset), reporter);
    }

    /// <summary>
    /// Every model once per seed. Data and split come from the first seed and stay fixed (synthetic data is generated
    /// from the seed too), so only training varies and each seed's runs pair up for <see cref="SeedSummary"/>.
    /// </summary>
    public static MultiSeedReport RunSeeds(BenchmarkSettings settings, IReadOnlyList<int> seeds, ITrainingReporter reporter)
    {
        ModelCatalog.Validate(settings);
        TorchThreads.Apply(settings.Threads, reporter);
        var split = Split(settings with { Seed = seeds[0] }, reporter);
        var textModel = ModelCatalog.OpenTextModel(settings, split.Dataset);
        var runs = new List<BenchmarkReport>();
        foreach (var seed in seeds)
        {
            reporter.Message("seed", $"{seed} ({runs.Count + 1} of {seeds.Count})");

            // Exported embeddings are the first seed's; later seeds would only overwrite the file.
            var perSeed = settings with { Seed = seed, DataSeed = seeds[0], ExportEmbeddings = runs.Count == 0 ? settings.ExportEmbeddings : null };
            runs.Add(RunModels(perSeed, split, textModel, reporter));
        }

        return SeedSummary.Aggregate(seeds, runs);
    }

    internal static BenchmarkRow Row(string name, IRecommender model, JsonObject? modelSettings, LeaveOneOutSplit split, BenchmarkSettings settings, double trainSeconds, string? note)
    {
        var values = Evaluator.Evaluate(model, split.Test, excludeHistory: !settings.KeepHistory);
        return new BenchmarkRow
        {
            Model = name,
            Settings = modelSettings,
            Metrics = MarkdownTable.MetricKeys.ToDictionary(k => k, k => (object)Math.Round(values[k], 6)),
            TrainSeconds = Math.Round(trainSeconds, 2),
            Params = model.ParameterCount,
            Note = note,
        };
    }

    private static LeaveOneOutSplit Split(BenchmarkSettings settings, ITrainingReporter reporter)
    {
        var dataset = DatasetSource.Load(settings.Data, settings.Seed);
        var split = LeaveOneOutSplit.Create(dataset);
        reporter.Message("data", $"{dataset.Name}: {dataset.Users.Count} users, {dataset.ItemCount} items, " +
            $"{dataset.InteractionCount} interactions, {split.Test.Length} test users" + (dataset.HasItemText ? string.Empty : ", no item text"));
        return split;
    }

    /// <summary>The row's note on how training ended: where HyMiRec's Stage 1 ended, and whether the time budget stopped it.</summary>
    public static string? Note(IRecommender model) => model switch
    {
        SasRecRecommender s => BudgetNote(s.StoppedByBudget, s.EpochsRun),
        HyMiRecRecommender h => HyMiRecNote(h),
        _ => null,
    };

    private static string? BudgetNote(bool stopped, int epochs) => stopped ? $"stopped by the time budget at epoch {epochs}" : null;

    /// <summary>Where Stage 1 ended is recorded because, under a time share, it moves with the machine's load.</summary>
    private static string? HyMiRecNote(HyMiRecRecommender model)
    {
        var codebook = model.StageOneEpochsRun is { } stageOne ? $"codebook built after epoch {stageOne}" : null;
        var budget = BudgetNote(model.StoppedByBudget, model.EpochsRun);
        return codebook is null || budget is null ? codebook ?? budget : $"{codebook}; {budget}";
    }

    private static BenchmarkReport RunModels(BenchmarkSettings settings, LeaveOneOutSplit split, LlamaCheckpoint? textModel, ITrainingReporter reporter)
    {
        var dataset = split.Dataset;
        var rows = new List<BenchmarkRow>();
        foreach (var name in settings.Models)
        {
            var model = ModelCatalog.Create(name, settings, textModel, dataset.HasItemText);
            using var owned = model as IDisposable;
            var clock = Stopwatch.StartNew();
            model.Fit(split, reporter);
            var trainSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            rows.Add(Row(model.Name, model, RowSettings.Of(model), split, settings, trainSeconds, Note(model)));
            reporter.Message(name, $"test recall@10 {rows[^1].Metric("recall@10"):F4}, ndcg@10 {rows[^1].Metric("ndcg@10"):F4} " +
                $"(full-ranking evaluation of {split.Test.Length} users in {clock.Elapsed.TotalSeconds:F1} s)");
            if (model is SasRecRecommender sasrec)
            {
                rows.AddRange(SasRecExtras.Run(sasrec, split, settings, trainSeconds, reporter));
            }
        }

        var protocol = "leave-one-out (last item test, second-to-last validation), all users, full ranking over all " +
            $"{dataset.ItemCount} items, " + (settings.KeepHistory ? "history items kept" : "history items excluded");
        return new BenchmarkReport(dataset.Name, protocol, dataset.Users.Count, dataset.ItemCount, dataset.InteractionCount, settings.Quick, rows, settings.Seed);
    }
}
