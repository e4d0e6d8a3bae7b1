using HyMiRec.Model.Data;

namespace HyMiRec.Training.Benchmark;

public static class DatasetSource
{
    public const string Synthetic = "synthetic";

    /// <summary>Users with exactly three planted topics: where the paper's multi-interest claim must hold (docs/benchmarks.md).</summary>
    public const string Planted = "planted";

    /// <summary>
    /// The large sparse planted data of the trainer-scale benchmark (<see cref="SyntheticOptions.Sparse"/>):
    /// "sparse" is 100,000 users x 50,000 items, "sparse:USERSxITEMS" any size.
    /// </summary>
    public const string Sparse = "sparse";

    public const int SparseUsers = 100_000;

    public const int SparseItems = 50_000;

    /// <summary>The planted three-topic data of the multi-interest benchmark rows.</summary>
    public static readonly SyntheticOptions PlantedOptions = new()
    {
        Users = 300, Topics = 8, ItemsPerTopic = 20, MinTopics = 3, MaxTopics = 3, MinLength = 40, MaxLength = 70, StayProbability = 0.3,
    };

    /// <summary>The --data help text of every command that loads a dataset.</summary>
    public const string Description = "Dataset directory (MovieLens 100K/1M, RecBole NAME.inter [+ NAME.item], or a SASRec-style " +
        "NAME.txt of 'user item' lines; the format is recognised from the files), 'synthetic', 'planted' (three planted topics per user) " +
        "or 'sparse[:USERSxITEMS]' (large sparse planted data, default 100000x50000, median 9 events per user)";

    public static InteractionDataset Load(string data, int seed) =>
        string.Equals(data, Synthetic, StringComparison.OrdinalIgnoreCase) ? SyntheticDataset.Generate(new SyntheticOptions { Seed = seed }).Dataset
        : string.Equals(data, Planted, StringComparison.OrdinalIgnoreCase) ? SyntheticDataset.Generate(PlantedOptions with { Seed = seed }).Dataset
        : TrySparse(data, out var users, out var items) ? SyntheticDataset.Generate(SyntheticOptions.Sparse(users, items, seed)).Dataset
        : DatasetDirectory.Load(data);

    /// <summary>"sparse" or "sparse:USERSxITEMS" (e.g. sparse:2000x1000).</summary>
    public static bool TrySparse(string data, out int users, out int items)
    {
        (users, items) = (SparseUsers, SparseItems);
        if (string.Equals(data, Sparse, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!data.StartsWith(Sparse + ":", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var size = data[(Sparse.Length + 1)..].Split('x', 'X');
        return size.Length == 2 && int.TryParse(size[0], System.Globalization.CultureInfo.InvariantCulture, out users)
            && int.TryParse(size[1], System.Globalization.CultureInfo.InvariantCulture, out items)
            ? true
            : throw new UsageException($"--data {data}: expected sparse:USERSxITEMS, e.g. sparse:100000x50000");
    }
}
