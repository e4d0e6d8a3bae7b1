using HyMiRec.Model.Data;

namespace HyMiRec.Trainer.Benchmark;

public static class DatasetSource
{
    public const string Synthetic = "synthetic";

    /// <summary>Users with exactly three planted topics: where the paper's multi-interest claim must hold (docs/benchmarks.md).</summary>
    public const string Planted = "planted";

    /// <summary>The planted three-topic data of the multi-interest benchmark rows.</summary>
    public static readonly SyntheticOptions PlantedOptions = new()
    {
        Users = 300, Topics = 8, ItemsPerTopic = 20, MinTopics = 3, MaxTopics = 3, MinLength = 40, MaxLength = 70, StayProbability = 0.3,
    };

    /// <summary>The --data help text of every command that loads a dataset.</summary>
    public const string Description = "Dataset directory (MovieLens 100K/1M, RecBole NAME.inter [+ NAME.item], or a SASRec-style " +
        "NAME.txt of 'user item' lines; the format is recognised from the files), 'synthetic' or 'planted' (three planted topics per user)";

    public static InteractionDataset Load(string data, int seed) =>
        string.Equals(data, Synthetic, StringComparison.OrdinalIgnoreCase) ? SyntheticDataset.Generate(new SyntheticOptions { Seed = seed }).Dataset
        : string.Equals(data, Planted, StringComparison.OrdinalIgnoreCase) ? SyntheticDataset.Generate(PlantedOptions with { Seed = seed }).Dataset
        : DatasetDirectory.Load(data);
}
