using HyMiRec.Model.Data;

namespace HyMiRec.Trainer.Benchmark;

public static class DatasetSource
{
    public const string Synthetic = "synthetic";

    /// <summary>The --data help text of every command that loads a dataset.</summary>
    public const string Description = "Dataset directory (MovieLens 100K/1M, RecBole NAME.inter [+ NAME.item], or a SASRec-style " +
        "NAME.txt of 'user item' lines; the format is recognised from the files) or 'synthetic'";

    public static InteractionDataset Load(string data, int seed) =>
        string.Equals(data, Synthetic, StringComparison.OrdinalIgnoreCase)
            ? SyntheticDataset.Generate(new SyntheticOptions { Seed = seed }).Dataset
            : DatasetDirectory.Load(data);
}
