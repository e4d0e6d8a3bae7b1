using HyMiRec.Model.Data;

namespace HyMiRec.Trainer.Benchmark;

public static class DatasetSource
{
    public const string Synthetic = "synthetic";

    public static InteractionDataset Load(string data, int seed) =>
        string.Equals(data, Synthetic, StringComparison.OrdinalIgnoreCase)
            ? SyntheticDataset.Generate(new SyntheticOptions { Seed = seed }).Dataset
            : MovieLensReader.Load(data);
}
