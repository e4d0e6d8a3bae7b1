using System.Globalization;
using HyMiRec.Model.Data;

namespace HyMiRec.Training.Benchmark;

public static class DatasetSource
{
    public const string Synthetic = "synthetic";

    /// <summary>
    /// Users with exactly three planted topics: where the paper's multi-interest claim must hold (docs/benchmarks.md).
    /// "planted" is 8 topics of 20 items and 300 users; "planted:TOPICSxITEMSxUSERS" the same generator at any size,
    /// so that the catalog can hold more topics than one interest vector separates.
    /// </summary>
    public const string Planted = "planted";

    /// <summary>
    /// The large sparse planted data of the trainer-scale benchmark (<see cref="SyntheticOptions.Sparse"/>):
    /// "sparse" is 100,000 users x 50,000 items, "sparse:USERSxITEMS" any size.
    /// </summary>
    public const string Sparse = "sparse";

    private const string PlantedForm = "planted:TOPICSxITEMSxUSERS, e.g. planted:32x50x1000";

    private const string SparseForm = "sparse:USERSxITEMS, e.g. sparse:100000x50000";

    public const int SparseUsers = 100_000;

    public const int SparseItems = 50_000;

    /// <summary>The planted three-topic data of the multi-interest benchmark rows.</summary>
    public static readonly SyntheticOptions PlantedOptions = new()
    {
        Users = 300, Topics = 8, ItemsPerTopic = 20, MinTopics = 3, MaxTopics = 3, MinLength = 40, MaxLength = 70, StayProbability = 0.3,
    };

    /// <summary>The --data help text of every command that loads a dataset.</summary>
    public const string Description = "Dataset directory (MovieLens 100K/1M, RecBole NAME.inter [+ NAME.item], or a SASRec-style " +
        "NAME.txt of 'user item' lines; the format is recognised from the files), 'synthetic', 'planted[:TOPICSxITEMSxUSERS]' (three planted topics per user, " +
        "default 8 topics x 20 items, 300 users) " +
        "or 'sparse[:USERSxITEMS]' (large sparse planted data, default 100000x50000, median 9 events per user)";

    public static InteractionDataset Load(string data, int seed) => Generated(data, seed)?.Dataset ?? DatasetDirectory.Load(data);

    /// <summary>The generated data with its truth (<see cref="IsGenerated"/>), or null for a dataset directory.</summary>
    public static SyntheticDataset? Generated(string data, int seed) =>
        string.Equals(data, Synthetic, StringComparison.OrdinalIgnoreCase) ? SyntheticDataset.Generate(new SyntheticOptions { Seed = seed })
        : TryPlanted(data, out var planted) ? SyntheticDataset.Generate(planted with { Seed = seed })
        : TrySparse(data, out var users, out var items) ? SyntheticDataset.Generate(SyntheticOptions.Sparse(users, items, seed))
        : null;

    /// <summary>Whether <paramref name="data"/> names generated data ('synthetic', 'planted...', 'sparse...') rather than a directory.</summary>
    public static bool IsGenerated(string data) =>
        string.Equals(data, Synthetic, StringComparison.OrdinalIgnoreCase) || TryPlanted(data, out _) || TrySparse(data, out _, out _);

    /// <summary>"planted" or "planted:TOPICSxITEMSxUSERS" (e.g. planted:32x50x1000: 32 topics of 50 items, 1,000 users).</summary>
    public static bool TryPlanted(string data, out SyntheticOptions options)
    {
        options = PlantedOptions;
        if (!TrySize(data, Planted, PlantedForm, parts: 3, out var size))
        {
            return false;
        }

        if (size is null)
        {
            return true;
        }

        if (size[0] < PlantedOptions.MaxTopics || size[1] < 2 || size[2] < 1)
        {
            throw new UsageException($"--data {data}: expected {PlantedForm}, with at least {PlantedOptions.MaxTopics} topics, 2 items per topic and 1 user");
        }

        options = PlantedOptions with { Topics = size[0], ItemsPerTopic = size[1], Users = size[2] };
        return true;
    }

    /// <summary>"sparse" or "sparse:USERSxITEMS" (e.g. sparse:2000x1000).</summary>
    public static bool TrySparse(string data, out int users, out int items)
    {
        (users, items) = (SparseUsers, SparseItems);
        if (!TrySize(data, Sparse, SparseForm, parts: 2, out var size))
        {
            return false;
        }

        if (size is not null)
        {
            (users, items) = size[0] > 0 && size[1] > 0
                ? (size[0], size[1])
                : throw new UsageException($"--data {data}: expected {SparseForm}");
        }

        return true;
    }

    /// <summary>
    /// Whether <paramref name="data"/> names <paramref name="name"/>; <paramref name="size"/> is null for the bare
    /// name, else the "NAME:AxB..." numbers, each 0 where it is not a non-negative integer, and a usage error showing
    /// <paramref name="form"/> if the count is not <paramref name="parts"/>.
    /// </summary>
    private static bool TrySize(string data, string name, string form, int parts, out int[]? size)
    {
        size = null;
        if (string.Equals(data, name, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!data.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        size = [.. data[(name.Length + 1)..].Split('x', 'X')
            .Select(part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)];
        return size.Length == parts
            ? true
            : throw new UsageException($"--data {data}: expected {form}");
    }
}
