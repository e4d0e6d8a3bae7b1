using System.CommandLine;
using System.Globalization;
using System.Text;
using HyMiRec.Model.Data;
using HyMiRec.Model.Serving;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Evaluation;
using HyMiRec.Training.Retraining;
using HyMiRec.Training.Training;

namespace HyMiRec.Training.Commands;

/// <summary>
/// `trainer window-stride`: what a silo's <c>Users:HistoryWindowStride</c> costs a trained artifact in quality on a
/// dataset's leave-one-out test users (<see cref="WindowStrideStudy"/>).
/// </summary>
public static class WindowStrideCommand
{
    public static Command Create()
    {
        var model = ArtifactReport.ModelOption();
        var data = new Option<string>("--data") { Description = "The dataset the artifact was trained on: " + DatasetSource.Description, Required = true };
        var maxHistory = new Option<string?>("--max-history") { Description = "Comma-separated window sizes, each at most the model's MaxHistory (default: the model's)" };
        var strides = new Option<string>("--strides") { Description = "Comma-separated strides to compare with the exact window (stride 1)", DefaultValueFactory = _ => "16,64" };
        var resamples = new Option<int>("--resamples") { Description = "Bootstrap resamples of the paired differences", DefaultValueFactory = _ => 2000 };
        var seed = new Option<int>("--seed") { Description = "Seed of synthetic data and of the bootstrap", DefaultValueFactory = _ => 42 };
        var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads (default: libtorch's choice)" };
        var output = ArtifactReport.OutputOption();
        var command = new Command("window-stride", "Measure what reading a history window that moves in steps (Users:HistoryWindowStride) costs in test quality")
        {
            model, data, maxHistory, strides, resamples, seed, threads, output,
        };
        command.SetAction(parse => Cli.Guard(parse, stdout =>
        {
            var strideList = IntegerList.Parse("--strides", parse.GetValue(strides)!, "a stride");
            if (parse.GetValue(resamples) < 1)
            {
                throw new UsageException("--resamples must be positive");
            }

            TorchThreads.Apply(parse.GetValue(threads), new ConsoleTrainingReporter(Console.Error));
            var directory = parse.GetValue(model)!.FullName;
            using var loaded = InterestModelStore.Load(directory);
            var windows = parse.GetValue(maxHistory) is { } list ? IntegerList.Parse("--max-history", list, "a window size") : [loaded.MaxHistory];
            foreach (var bad in windows.Where(m => m < 1 || m > loaded.MaxHistory))
            {
                throw new UsageException($"--max-history: {bad} is not between 1 and the model's MaxHistory, {loaded.MaxHistory}");
            }

            foreach (var bad in strideList.Where(s => s < 1 || s > windows.Min()))
            {
                throw new UsageException($"--strides: {bad} is not between 1 and the smallest window, {windows.Min()}");
            }

            var dataset = DatasetSource.Load(parse.GetValue(data)!, parse.GetValue(seed));
            var cases = TestCases(dataset);
            var report = WindowStrideStudy.Run(loaded, cases, windows, strideList, parse.GetValue(resamples), parse.GetValue(seed));
            stdout.Write(Render(report, $"{dataset.Name}, model {loaded.Manifest.ModelVersion}"));
            ArtifactReport.WriteJson(parse.GetValue(output), report, stdout);

            return 0;
        }));
        return command;
    }

    /// <summary>The leave-one-out test users (every event before the last, ranked against the last) by external id.</summary>
    public static HoldoutCase[] TestCases(InteractionDataset dataset) =>
        [.. LeaveOneOutSplit.Create(dataset).Test.Select(c => new HoldoutCase(
            dataset.Users[c.UserIndex].UserId, [.. c.Input.Select(i => dataset.ItemIds[i])], [dataset.ItemIds[c.Target]]))];

    public static string Render(StrideReport r, string title)
    {
        static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        static string D(double v) => v.ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{title}: {r.Users} test users; differences to the exact window (stride 1), paired, {r.Confidence:P0} bootstrap interval of {r.Resamples} resamples");
        text.AppendLine();
        text.AppendLine("| MaxHistory | stride | users past it | windows shortened | mean events left out | R@10 | N@10 | R@50 | N@50 | R@10 diff [interval] | N@10 diff [interval] |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var row in r.Rows)
        {
            string Diff(string metric) => row.Stride == 1 ? "baseline"
                : row.Differences.TryGetValue(metric, out var d) ? $"{D(d.Mean)} [{D(d.Lower)}, {D(d.Upper)}]" : "–";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.MaxHistory} | {row.Stride} | {row.Longer} | {row.Shortened} | {row.MeanDropped:F1} | {F(row.Means["recall@10"])} | {F(row.Means["ndcg@10"])} | " +
                $"{F(row.Means["recall@50"])} | {F(row.Means["ndcg@50"])} | {Diff("recall@10")} | {Diff("ndcg@10")} |");
        }

        return text.ToString();
    }
}
