using System.Diagnostics;
using HyMiRec.Model.Data;
using HyMiRec.Trainer.Evaluation;
using HyMiRec.Trainer.Training;

namespace HyMiRec.Trainer.Benchmark;

/// <summary>Loads a dataset, splits it leave-one-out, trains each model and evaluates all on the same test cases.</summary>
public static class BenchmarkRunner
{
    public static BenchmarkReport Run(BenchmarkSettings settings, ITrainingReporter reporter)
    {
        ModelCatalog.Validate(settings.Models); // fail on a bad name before any training

        var dataset = DatasetSource.Load(settings.Data, settings.Seed);
        var split = LeaveOneOutSplit.Create(dataset);
        reporter.Message("data", $"{dataset.Name}: {dataset.Users.Count} users, {dataset.ItemCount} items, " +
            $"{dataset.InteractionCount} interactions, {split.Test.Length} test users");
        var rows = new List<BenchmarkRow>();
        var textModel = ModelCatalog.OpenTextModel(settings);
        foreach (var name in settings.Models)
        {
            var model = ModelCatalog.Create(name, settings, textModel);
            using var owned = model as IDisposable;
            var clock = Stopwatch.StartNew();
            model.Fit(split, reporter);
            var trainSeconds = clock.Elapsed.TotalSeconds;
            rows.Add(Row(model.Name, model, split, settings, trainSeconds, note: null));
            reporter.Message(name, $"test recall@10 {rows[^1].Metric("recall@10"):F4}, ndcg@10 {rows[^1].Metric("ndcg@10"):F4}");
            if (model is SasRecRecommender sasrec)
            {
                rows.AddRange(SasRecExtras.Run(sasrec, split, settings, trainSeconds, reporter));
            }
        }

        var protocol = "leave-one-out (last item test, second-to-last validation), all users, full ranking over all " +
            $"{dataset.ItemCount} items, " + (settings.KeepHistory ? "history items kept" : "history items excluded");
        return new BenchmarkReport(dataset.Name, protocol, dataset.Users.Count, dataset.ItemCount, dataset.InteractionCount, settings.Quick, rows);
    }

    internal static BenchmarkRow Row(string name, IRecommender model, LeaveOneOutSplit split, BenchmarkSettings settings, double trainSeconds, string? note)
    {
        var values = Evaluator.Evaluate(model, split.Test, excludeHistory: !settings.KeepHistory);
        return new BenchmarkRow
        {
            Model = name,
            Metrics = MarkdownTable.MetricKeys.ToDictionary(k => k, k => (object)Math.Round(values[k], 6)),
            TrainSeconds = Math.Round(trainSeconds, 2),
            Params = model.ParameterCount,
            Note = note,
        };
    }
}
