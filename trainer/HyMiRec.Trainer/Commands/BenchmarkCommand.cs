using System.CommandLine;
using System.Text.Json;
using HyMiRec.Trainer.Benchmark;
using HyMiRec.Trainer.Training;

namespace HyMiRec.Trainer.Commands;

/// <summary>`trainer benchmark`: train and evaluate models side by side on one leave-one-out split.</summary>
public static class BenchmarkCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "MovieLens directory (100K or 1M format) or 'synthetic'", Required = true };
        var models = new Option<string>("--models") { Description = $"Comma-separated models: {string.Join(", ", ModelCatalog.Names)}", DefaultValueFactory = _ => "popularity,sasrec" };
        var output = new Option<FileInfo?>("--out") { Description = "Write the results as JSON to this file" };
        var quick = new Option<bool>("--quick") { Description = "Smaller training budget (minutes, not an hour)" };
        var keepHistory = new Option<bool>("--keep-history") { Description = "Keep the user's own input items in the ranking" };
        var seed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 42 };
        var epochs = new Option<int?>("--epochs") { Description = "Override the epoch budget of neural models" };
        var batchSize = new Option<int?>("--batch-size") { Description = "Override the batch size of neural models" };
        var learningRate = new Option<double?>("--learning-rate") { Description = "Override the learning rate of neural models" };
        var export = new Option<FileInfo?>("--export-embeddings") { Description = "Write SASRec's item embeddings (.npy, rows 1..N)" };
        var textModel = new Option<DirectoryInfo?>("--text-model") { Description = "LLaMA checkpoint directory (config.json, tokenizer.model or tokenizer.json, safetensors): HyMiRec item text from its frozen features" };
        var command = new Command("benchmark", "Train and evaluate models on a leave-one-out split with full ranking")
        {
            data, models, output, quick, keepHistory, seed, epochs, batchSize, learningRate, export, textModel,
        };
        command.SetAction(parse => Cli.Guard(parse, stdout =>
        {
            var settings = new BenchmarkSettings
            {
                Data = parse.GetValue(data)!,
                Models = parse.GetValue(models)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Quick = parse.GetValue(quick),
                KeepHistory = parse.GetValue(keepHistory),
                Seed = parse.GetValue(seed),
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batchSize),
                LearningRate = parse.GetValue(learningRate),
                ExportEmbeddings = parse.GetValue(export)?.FullName,
                TextModel = parse.GetValue(textModel)?.FullName,
            };
            var report = BenchmarkRunner.Run(settings, new ConsoleTrainingReporter(Console.Error));
            stdout.WriteLine(MarkdownTable.Render(report));
            if (parse.GetValue(output) is { } file)
            {
                File.WriteAllText(file.FullName, JsonSerializer.Serialize(report, Json));
                Console.Error.WriteLine($"wrote {file.FullName}");
            }

            return 0;
        }));
        return command;
    }
}
