using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HyMiRec.Model.Codebooks;
using HyMiRec.Model.IO;
using static TorchSharp.torch;

namespace HyMiRec.Training.Commands;

/// <summary>
/// <c>trainer codebook</c>: trains a Stage-1 codebook (cosine residual, or the Euclidean ablation) on item
/// embeddings from a .npy file or on seeded synthetic ones, and reports reconstruction quality per layer prefix.
/// </summary>
public static class CodebookCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public static Command Create()
    {
        var embeddings = new Option<string?>("--embeddings") { Description = "Item embeddings, float32 [N, D] .npy file" };
        var synthetic = new Option<string?>("--synthetic") { Description = "Generate N seeded clustered embeddings of dimension D: N,D" };
        var layers = new Option<int>("--layers") { Description = "Codebook layers L", Required = true };
        var codes = new Option<int>("--codes") { Description = "Codes per layer K (<= 65536)", Required = true };
        var kind = new Option<string>("--kind") { Description = "cosine (paper) or euclidean (ablation)", DefaultValueFactory = _ => "cosine" };
        kind.AcceptOnlyFromAmong("cosine", "euclidean");
        var iterations = new Option<int>("--iterations") { Description = "k-means iterations per layer", DefaultValueFactory = _ => 15 };
        var seed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 42 };
        var output = new Option<string?>("--out") { Description = "Write the trained codebook to this file" };
        var json = new Option<string?>("--json") { Description = "Write the report as JSON to this file" };

        var command = new Command("codebook", "Train a residual codebook on item embeddings and report its reconstruction quality")
        {
            embeddings, synthetic, layers, codes, kind, iterations, seed, output, json,
        };
        command.SetAction(parse => Cli.Guard(parse, stdout => Execute(
            stdout,
            new Settings(
                parse.GetValue(embeddings),
                parse.GetValue(synthetic),
                parse.GetValue(layers),
                parse.GetValue(codes),
                parse.GetValue(kind) == "euclidean" ? QuantizerKind.Euclidean : QuantizerKind.Cosine,
                parse.GetValue(iterations),
                parse.GetValue(seed),
                parse.GetValue(output),
                parse.GetValue(json)))));
        return command;
    }

    private static int Execute(TextWriter stdout, Settings settings)
    {
        using var scope = NewDisposeScope();
        var (items, source) = LoadEmbeddings(settings);
        var (n, d) = ((int)items.shape[0], (int)items.shape[1]);
        if (settings.Layers < 1 || settings.Codes is < 1 or > 65536 || settings.Iterations < 0)
        {
            throw new UsageException($"need --layers >= 1, 1 <= --codes <= 65536 and --iterations >= 0 (got {settings.Layers}, {settings.Codes}, {settings.Iterations})");
        }

        if (settings.Codes > n)
        {
            throw new UsageException($"--codes {settings.Codes} exceeds the number of items ({n})");
        }

        var options = new ResidualQuantizerOptions
        {
            Layers = settings.Layers,
            Codes = settings.Codes,
            Iterations = settings.Iterations,
            Seed = settings.Seed,
        };
        var clock = Stopwatch.StartNew();
        using ResidualQuantizer quantizer = settings.Kind == QuantizerKind.Cosine
            ? CosineResidualCodebook.Train(items, options)
            : EuclideanResidualQuantizer.Train(items, options);
        var trainSeconds = clock.Elapsed.TotalSeconds;
        var report = CodebookReport.Compute(quantizer, items);

        stdout.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{KindName(settings.Kind)} codebook on {source}: N={n}, D={d}, L={settings.Layers}, K={settings.Codes}, trained in {trainSeconds:F2} s"));
        stdout.WriteLine();
        stdout.Write(CodebookReport.ToMarkdown(report));

        if (settings.Out is not null)
        {
            quantizer.Save(settings.Out);
            stdout.WriteLine($"codebook written to {settings.Out}");
        }

        if (settings.Json is not null)
        {
            var document = new
            {
                Kind = KindName(settings.Kind),
                Source = source,
                Items = n,
                Dimension = d,
                settings.Layers,
                settings.Codes,
                settings.Iterations,
                settings.Seed,
                TrainSeconds = trainSeconds,
                Rows = report,
            };
            File.WriteAllText(settings.Json, JsonSerializer.Serialize(document, JsonOptions) + Environment.NewLine);
            stdout.WriteLine($"report written to {settings.Json}");
        }

        return 0;
    }

    private static (Tensor Items, string Source) LoadEmbeddings(Settings settings)
    {
        if ((settings.Embeddings is null) == (settings.Synthetic is null))
        {
            throw new UsageException("give exactly one of --embeddings FILE.npy or --synthetic N,D");
        }

        if (settings.Embeddings is not null)
        {
            if (!File.Exists(settings.Embeddings))
            {
                throw new UsageException($"embeddings file not found: {settings.Embeddings}");
            }

            var (data, rows, cols) = NpyFile.ReadFloat32Matrix(settings.Embeddings);
            return (tensor(data, [rows, cols]), Path.GetFileName(settings.Embeddings));
        }

        var parts = settings.Synthetic!.Split(',');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var d) || n < 1 || d < 1)
        {
            throw new UsageException($"--synthetic expects N,D with positive integers (e.g. 2000,64), got '{settings.Synthetic}'");
        }

        return (SyntheticEmbeddings.Generate(n, d, settings.Seed), $"synthetic {n}x{d} (seed {settings.Seed})");
    }

    private static string KindName(QuantizerKind kind) => kind == QuantizerKind.Cosine ? "cosine" : "euclidean";

    private sealed record Settings(
        string? Embeddings, string? Synthetic, int Layers, int Codes, QuantizerKind Kind, int Iterations, int Seed, string? Out, string? Json);
}
