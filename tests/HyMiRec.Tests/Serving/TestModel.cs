using HyMiRec.Model.Data;
using HyMiRec.Model.Serving;

namespace HyMiRec.Tests.Serving;

/// <summary>One small untrained model artifact over a synthetic catalog, written once per test run.</summary>
internal static class TestModel
{
    private static readonly Lazy<(string Directory, InteractionDataset Dataset)> Artifact = new(Create);

    public static string Directory => Artifact.Value.Directory;

    public static InteractionDataset Dataset => Artifact.Value.Dataset;

    /// <summary>A second artifact over the same catalog with other weights and codebook (another seed).</summary>
    public static string CreateAnother(string directory, int seed)
    {
        InterestModelStore.CreateUntrained(directory, Dataset, seed);
        return directory;
    }

    private static (string, InteractionDataset) Create()
    {
        var dataset = SyntheticDataset.Generate(new SyntheticOptions { Users = 30, Topics = 4, ItemsPerTopic = 20, MinLength = 20, MaxLength = 40 }).Dataset;
        var directory = Path.Combine(Path.GetTempPath(), "hymirec-tests-model-" + Environment.ProcessId);
        if (!File.Exists(Path.Combine(directory, InterestModelStore.ManifestFile)))
        {
            InterestModelStore.CreateUntrained(directory, dataset, seed: 11);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => System.IO.Directory.Delete(directory, recursive: true);
        }

        return (directory, dataset);
    }
}
