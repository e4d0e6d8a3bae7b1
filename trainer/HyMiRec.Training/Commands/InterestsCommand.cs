using System.CommandLine;
using System.Globalization;
using System.Text;
using HyMiRec.Model.IO;
using HyMiRec.Model.Serving;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Evaluation;

namespace HyMiRec.Training.Commands;

/// <summary>`trainer interests`: how a trained artifact uses its refined interests on a dataset (<see cref="InterestAnalysis"/>).</summary>
public static class InterestsCommand
{
    public static Command Create()
    {
        var model = ArtifactReport.ModelOption();
        var data = new Option<string>("--data") { Description = DatasetSource.Description, Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic data and of the random reference pairs", DefaultValueFactory = _ => 42 };
        var output = ArtifactReport.OutputOption();
        var command = new Command("interests", "Analyse how a trained model's refined interests split users' items")
        {
            model, data, seed, output,
        };
        command.SetAction(parse => Cli.Guard(parse, stdout =>
        {
            var directory = parse.GetValue(model)!.FullName;
            using var loaded = InterestModelStore.Load(directory);
            var (table, rows, cols) = NpyFile.ReadFloat32Matrix(Path.Combine(directory, "items.npy"));
            if (rows != loaded.Catalog.ItemCount + 1 || cols != loaded.Dimension)
            {
                throw new InvalidDataException($"{directory}: items.npy is {rows}x{cols}, the model has {loaded.Catalog.ItemCount + 1}x{loaded.Dimension}");
            }

            var dataset = DatasetSource.Load(parse.GetValue(data)!, parse.GetValue(seed));
            var report = InterestAnalysis.Run(loaded, dataset, table, parse.GetValue(seed));
            stdout.Write(Render(report, $"{dataset.Name}, model {loaded.Manifest.ModelVersion}"));
            ArtifactReport.WriteJson(parse.GetValue(output), report, stdout);

            return 0;
        }));
        return command;
    }

    public static string Render(InterestReport r, string title)
    {
        static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{title}: s = {r.Interests}, w = {r.Window}, {r.Users} test users, {r.Windows} windows");
        text.AppendLine();
        text.AppendLine("| measure | value |");
        text.AppendLine("|---|---:|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| mean cosine between a user's interests | {F(r.InterestCosine)} |");
        for (var k = 0; k < r.Interests; k++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| test target scored best by interest {k + 1} | {F(r.TestWinnerShare[k])} |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| top-10 slots won by interest {k + 1} | {F(r.TopSlotShare[k])} |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| R@10 / R@50, interest {k + 1} alone | {F(r.SingleRecall10[k])} / {F(r.SingleRecall50[k])} |");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"| R@10 / R@50, best cosine over all interests | {F(r.Recall10)} / {F(r.Recall50)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| R@10 / R@50, interests take turns | {F(r.RoundRobinRecall10)} / {F(r.RoundRobinRecall50)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| last-w windows whose targets go to 2+ interests | {F(r.WindowSplitShare)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| mean cosine between targets of one window | {F(r.WindowTargetCosine)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| mean cosine, two random items of one user | {F(r.SameUserCosine)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| mean cosine, two random clicks of the log | {F(r.RandomClickCosine)} |");
        return text.ToString();
    }
}
