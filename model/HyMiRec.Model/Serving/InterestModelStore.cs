using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using HyMiRec.Model.Codebooks;
using HyMiRec.Model.Data;
using HyMiRec.Model.Interests;
using HyMiRec.Model.IO;
using HyMiRec.Model.Text;
using static TorchSharp.torch;

namespace HyMiRec.Model.Serving;

/// <summary>
/// Model artifact directories: manifest.json (version, config, metrics, SHA-256 of every file), network.bin
/// (TorchSharp weights), items.npy (final item table), history-items.npy (the Stage-1 embeddings the codebook
/// encodes), codebook.hmrcb, catalog.tsv and, for catalog-trained text, vocab.txt. An artifact whose text features
/// came from a pretrained checkpoint records the checkpoint's fingerprint in its config instead; serving never needs
/// the checkpoint, since items.npy already holds every item's embedding. Loading checks every hash and shape and
/// fails with <see cref="InvalidDataException"/> naming the file when anything is off.
/// </summary>
public static class InterestModelStore
{
    public const int FormatVersion = 1;
    public const string ManifestFile = "manifest.json";

    /// <summary>Config key of the SHA-256 fingerprint of the pretrained checkpoint that made the text features.</summary>
    public const string TextModelFingerprintKey = "textModelFingerprint";

    /// <summary>Config key of that checkpoint's directory name (informative only).</summary>
    public const string TextModelNameKey = "textModel";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>
    /// Everything a trained model consists of, as the trainer hands it over: a catalog tokenizer for
    /// <see cref="TextSource.Catalog"/> text, the checkpoint's stamp for <see cref="TextSource.Pretrained"/> text.
    /// </summary>
    public sealed record Contents(
        HyMiRecNetwork Network, CatalogTokenizer? Tokenizer, ItemCatalog Catalog, Tensor ItemTable, Tensor HistoryTable,
        ResidualQuantizer Codebook, string Dataset, IReadOnlyDictionary<string, double> Metrics, TextModelStamp? TextModel = null);

    /// <summary>Which pretrained checkpoint made an artifact's text features.</summary>
    public sealed record TextModelStamp(string Fingerprint, string Name);

    public static ModelManifest Save(string directory, Contents contents)
    {
        var config = TextConfig(contents);
        Directory.CreateDirectory(directory);
        contents.Network.save(Path.Combine(directory, "network.bin"));
        WriteTable(Path.Combine(directory, "items.npy"), contents.ItemTable);
        WriteTable(Path.Combine(directory, "history-items.npy"), contents.HistoryTable);
        contents.Codebook.Save(Path.Combine(directory, "codebook.hmrcb"));
        contents.Tokenizer?.Save(Path.Combine(directory, "vocab.txt"));
        contents.Catalog.WriteTsv(Path.Combine(directory, "catalog.tsv"));
        string[] names = contents.Tokenizer is null
            ? ["network.bin", "items.npy", "history-items.npy", "codebook.hmrcb", "catalog.tsv"]
            : ["network.bin", "items.npy", "history-items.npy", "codebook.hmrcb", "vocab.txt", "catalog.tsv"];
        var files = names.Select(n => Describe(directory, n)).ToArray();
        var created = DateTimeOffset.UtcNow;
        var manifest = new ModelManifest(
            FormatVersion,
            $"{created.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}-{files[0].Sha256[..8]}",
            files.First(f => f.Name == "codebook.hmrcb").Sha256[..8] + files.First(f => f.Name == "history-items.npy").Sha256[..8],
            created,
            contents.Dataset,
            config,
            contents.Metrics,
            files);
        File.WriteAllText(Path.Combine(directory, ManifestFile), JsonSerializer.Serialize(manifest, Json));
        return manifest;
    }

    /// <summary>Checks the manifest and every file's size and SHA-256 without loading the model.</summary>
    public static ModelManifest Verify(string directory)
    {
        var manifestPath = Path.Combine(directory, ManifestFile);
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException($"no model artifact at {directory}: {ManifestFile} is missing", manifestPath);
        }

        var manifest = ReadManifest(manifestPath);
        foreach (var file in manifest.Files)
        {
            var actual = Describe(directory, file.Name);
            if (actual.Bytes != file.Bytes || !string.Equals(actual.Sha256, file.Sha256, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{Path.Combine(directory, file.Name)}: contents do not match the manifest (SHA-256 {actual.Sha256}, expected {file.Sha256})");
            }
        }

        return manifest;
    }

    /// <summary>Rewrites the manifest of an artifact that is not published yet (its files and hashes stay as they are).</summary>
    public static ModelManifest Annotate(string directory, Func<ModelManifest, ModelManifest> change)
    {
        var before = Verify(directory);
        var after = change(before);
        if (after.ModelVersion != before.ModelVersion || !after.Files.SequenceEqual(before.Files))
        {
            throw new InvalidOperationException("Annotate may change metrics, the gate and the selection only, not the version or the files");
        }

        var path = Path.Combine(directory, ManifestFile);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(after, Json));
        File.Move(temporary, path, overwrite: true);
        return after;
    }

    /// <param name="historyCacheBytes">Bytes of per-user history states the model may keep between a user's passes
    /// (<see cref="HistoryStateCache"/>); 0 keeps none.</param>
    public static HyMiRecInterestModel Load(string directory, long historyCacheBytes = 0)
    {
        var manifest = Verify(directory);
        var options = HyMiRecOptions.FromConfig(manifest.Config);
        var catalog = ItemCatalog.ReadTsv(Path.Combine(directory, "catalog.tsv"));
        var vocabularySize = options.UseText && options.TextSource == TextSource.Catalog
            ? CatalogTokenizer.Load(Path.Combine(directory, "vocab.txt")).VocabularySize
            : 0;
        var itemTable = ReadTable(Path.Combine(directory, "items.npy"), catalog.ItemCount + 1, options.Dimension);
        var historyTable = ReadTable(Path.Combine(directory, "history-items.npy"), catalog.ItemCount + 1, options.Dimension);
        var codebook = CodebookFile.Load(Path.Combine(directory, "codebook.hmrcb"));
        if (codebook.Dimension != options.Dimension || codebook.Layers != options.CodebookLayers)
        {
            throw new InvalidDataException($"{directory}: codebook is {codebook.Layers}x{codebook.Codes} over {codebook.Dimension} dims, the config says {options.CodebookLayers} layers over {options.Dimension}");
        }

        var network = new HyMiRecNetwork(options, catalog.ItemCount, vocabularySize);
        try
        {
            network.load(Path.Combine(directory, "network.bin"));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            network.Dispose();
            throw new InvalidDataException($"{Path.Combine(directory, "network.bin")}: weights do not fit the configured network: {e.Message}", e);
        }

        var encoded = codebook.Encode(historyTable);
        historyTable.Dispose();
        return new HyMiRecInterestModel(manifest, catalog, network, itemTable, codebook, encoded, historyCacheBytes);
    }

    /// <summary>
    /// A freshly initialised (untrained) model for a dataset's catalog: real weights, codebook and catalog, so the
    /// serving path can be exercised end to end where no trained artifact exists yet.
    /// </summary>
    public static ModelManifest CreateUntrained(string directory, InteractionDataset dataset, int seed, HyMiRecOptions? options = null)
    {
        options ??= new HyMiRecOptions();
        if (options.TextSource != TextSource.Catalog)
        {
            throw new ArgumentException("an untrained artifact is built with catalog text only (pretrained features come from `trainer train --text-model`)", nameof(options));
        }

        manual_seed(seed);
        var tokenizer = CatalogTokenizer.Build(dataset.ItemTexts.Skip(1));
        using var network = new HyMiRecNetwork(options, dataset.ItemCount, tokenizer.VocabularySize);
        network.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var tokens = tensor(tokenizer.Encode(dataset.ItemTexts, options.MaxTextTokens)).view(dataset.ItemCount + 1, options.MaxTextTokens);
        var table = network.ItemTable(tokens);
        using var codebook = TrainCodebook(options, table, seed);
        return Save(directory, new Contents(network, tokenizer, new ItemCatalog(dataset.ItemIds, dataset.ItemTexts), table, table,
            codebook, dataset.Name, new Dictionary<string, double>()));
    }

    /// <summary>The configured codebook over rows 1..N of <paramref name="table"/>, with no more codes than items.</summary>
    public static ResidualQuantizer TrainCodebook(HyMiRecOptions options, Tensor table, int seed)
    {
        var rows = table[1..].detach();
        var quantizer = new ResidualQuantizerOptions
        {
            Layers = options.CodebookLayers,
            Codes = (int)Math.Min(options.CodebookCodes, rows.shape[0]),
            Seed = seed,
        };
        return options.CodebookKind == QuantizerKind.Cosine
            ? CosineResidualCodebook.Train(rows, quantizer)
            : EuclideanResidualQuantizer.Train(rows, quantizer);
    }

    private static SortedDictionary<string, string> TextConfig(Contents contents)
    {
        var options = contents.Network.Options;
        var config = new SortedDictionary<string, string>(options.ToConfig().ToDictionary(), StringComparer.Ordinal);
        var catalogText = options.UseText && options.TextSource == TextSource.Catalog;
        if (catalogText && contents.Tokenizer is null)
        {
            throw new ArgumentException("catalog-trained text needs its tokenizer in the artifact", nameof(contents));
        }

        if (options.TextSource == TextSource.Pretrained)
        {
            var stamp = contents.TextModel
                ?? throw new ArgumentException("pretrained text features need the checkpoint's fingerprint in the artifact", nameof(contents));
            config[TextModelFingerprintKey] = stamp.Fingerprint;
            config[TextModelNameKey] = stamp.Name;
        }

        return config;
    }

    private static ModelManifest ReadManifest(string path)
    {
        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a model manifest: {e.Message}", e);
        }

        if (manifest is null || manifest.Files is null || manifest.Config is null)
        {
            throw new InvalidDataException($"{path}: not a model manifest");
        }

        return manifest.FormatVersion == FormatVersion ? manifest
            : throw new InvalidDataException($"{path}: format version {manifest.FormatVersion}, this build reads {FormatVersion}");
    }

    private static void WriteTable(string path, Tensor table)
    {
        var values = table.detach().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        NpyFile.WriteFloat32Matrix(path, values, (int)table.shape[0], (int)table.shape[1]);
    }

    private static Tensor ReadTable(string path, int rows, int cols)
    {
        var (data, r, c) = NpyFile.ReadFloat32Matrix(path);
        return r == rows && c == cols ? tensor(data).view(rows, cols)
            : throw new InvalidDataException($"{path}: table is {r}x{c}, the catalog and config need {rows}x{cols}");
    }

    private static ArtifactFile Describe(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path}: listed in the manifest but missing");
        }

        using var stream = File.OpenRead(path);
        return new ArtifactFile(name, stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }
}
