using HyMiRec.Model.Codebooks;
using HyMiRec.Model.Data;
using HyMiRec.Model.IO;
using HyMiRec.Model.Interests;
using HyMiRec.Model.Serving;
using HyMiRec.Model.Text;
using static TorchSharp.torch;

namespace HyMiRec.Training.Training;

/// <summary>
/// Initial weights from a published version: every tensor whose name and shape match is copied; item-indexed
/// tables (one row per catalog item) are copied row by row for the items both catalogs share, by external id, so
/// a grown catalog keeps what was learnt about its old items. The tokenizer is reused so token ids keep meaning;
/// a version with pretrained text features has no tokenizer but the fingerprint of its checkpoint instead, which
/// the new training must match for the learnt projection to keep its meaning.
/// </summary>
public sealed record WarmStart(string NetworkPath, HyMiRecOptions Options, CatalogTokenizer? Tokenizer, ItemCatalog Catalog)
{
    /// <summary>Fingerprint of the pretrained checkpoint the version's text features came from (null for catalog text).</summary>
    public string? TextModelFingerprint { get; init; }

    /// <summary>The version's artifact directory (for its codebook and Stage-1 embeddings).</summary>
    public string Directory => Path.GetDirectoryName(NetworkPath)!;

    /// <summary>
    /// From a version already loaded for serving (its options and catalog); the vocabulary, for catalog text, is read
    /// from its directory.
    /// </summary>
    public static WarmStart From(string artifactDirectory, HyMiRecInterestModel current)
    {
        var catalogText = current.Options.UseText && current.Options.TextSource == TextSource.Catalog;
        return new(
            Path.Combine(artifactDirectory, "network.bin"),
            current.Options,
            catalogText ? CatalogTokenizer.Load(Path.Combine(artifactDirectory, "vocab.txt")) : null,
            current.Catalog)
        {
            TextModelFingerprint = current.Manifest.Config.GetValueOrDefault(InterestModelStore.TextModelFingerprintKey),
        };
    }

    /// <summary>Copies into <paramref name="network"/>; returns (tensors copied whole, tensors copied by item, tensors left fresh).</summary>
    public (int Whole, int ByItem, int Fresh) Apply(HyMiRecNetwork network, InteractionDataset dataset)
    {
        using var source = new HyMiRecNetwork(Options, Catalog.ItemCount, Tokenizer?.VocabularySize ?? 0);
        source.load(NetworkPath);
        var from = source.state_dict();
        var (whole, byItem, fresh) = (0, 0, 0);
        var (sourceRows, targetRows) = SharedItems(dataset);
        using var noGrad = no_grad();
        foreach (var (name, target) in network.state_dict())
        {
            if (!from.TryGetValue(name, out var weights))
            {
                fresh++;
            }
            else if (weights.shape.SequenceEqual(target.shape))
            {
                target.copy_(weights);
                whole++;
            }
            else if (IsItemTable(weights, target, dataset.ItemCount))
            {
                target.index_copy_(0, targetRows, weights.index_select(0, sourceRows));
                byItem++;
            }
            else
            {
                fresh++;
            }
        }

        return (whole, byItem, fresh);
    }

    public ResidualQuantizer LoadCodebook() => CodebookFile.Load(Path.Combine(Directory, "codebook.hmrcb"));

    /// <summary>
    /// Stage-1 embeddings [N + 1, D] for <paramref name="dataset"/>'s catalog: the version's own rows for the items it
    /// knows, the (warm-started) <paramref name="network"/>'s item tower for new ones; and how many rows were reused.
    /// </summary>
    public (Tensor Table, int Reused) StageOneTable(HyMiRecNetwork network, Tensor tokens, InteractionDataset dataset)
    {
        var (values, rows, columns) = NpyFile.ReadFloat32Matrix(Path.Combine(Directory, "history-items.npy"));
        if (rows != Catalog.ItemCount + 1 || columns != Options.Dimension)
        {
            throw new InvalidDataException($"{Directory}: history-items.npy is {rows}x{columns}, expected {Catalog.ItemCount + 1}x{Options.Dimension}");
        }

        using var old = tensor(values).view(rows, columns);
        using var noGrad = no_grad();
        network.eval();
        var table = network.ItemTable(tokens).detach().clone(); // [N+1, D]
        var (sourceRows, targetRows) = SharedItems(dataset);
        table.index_copy_(0, targetRows, old.index_select(0, sourceRows));
        table[0] = old[0]; // the padding row too, so an unchanged catalog gives a byte-identical table (same codebook version)
        return (table, (int)targetRows.shape[0]);
    }

    private bool IsItemTable(Tensor source, Tensor target, int itemCount) =>
        source.dim() == target.dim() && source.shape[0] == Catalog.ItemCount + 1 && target.shape[0] == itemCount + 1
        && source.shape.Skip(1).SequenceEqual(target.shape.Skip(1));

    private (Tensor Source, Tensor Target) SharedItems(InteractionDataset dataset)
    {
        var source = new List<long>();
        var target = new List<long>();
        for (var i = 1; i <= dataset.ItemCount; i++)
        {
            if (Catalog.TryGetIndex(dataset.ItemIds[i], out var j))
            {
                source.Add(j);
                target.Add(i);
            }
        }

        return (tensor(source.ToArray()), tensor(target.ToArray()));
    }
}
