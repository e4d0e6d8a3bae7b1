using HyMiRec.Model.Data;
using HyMiRec.Model.Interests;
using HyMiRec.Model.Serving;
using HyMiRec.Model.Text;
using static TorchSharp.torch;

namespace HyMiRec.Trainer.Training;

/// <summary>
/// Initial weights from a published version: every tensor whose name and shape match is copied; item-indexed
/// tables (one row per catalog item) are copied row by row for the items both catalogs share, by external id, so
/// a grown catalog keeps what was learnt about its old items. The tokenizer is reused so token ids keep meaning.
/// </summary>
public sealed record WarmStart(string NetworkPath, HyMiRecOptions Options, CatalogTokenizer Tokenizer, ItemCatalog Catalog)
{
    public static WarmStart From(string artifactDirectory, ModelManifest manifest) => new(
        Path.Combine(artifactDirectory, "network.bin"),
        HyMiRecOptions.FromConfig(manifest.Config),
        CatalogTokenizer.Load(Path.Combine(artifactDirectory, "vocab.txt")),
        ItemCatalog.ReadTsv(Path.Combine(artifactDirectory, "catalog.tsv")));

    /// <summary>Copies into <paramref name="network"/>; returns (tensors copied whole, tensors copied by item, tensors left fresh).</summary>
    public (int Whole, int ByItem, int Fresh) Apply(HyMiRecNetwork network, InteractionDataset dataset)
    {
        using var source = new HyMiRecNetwork(Options, Catalog.ItemCount, Tokenizer.VocabularySize);
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
