using HyMiRec.Model.Data;
using HyMiRec.Model.Serving;

namespace HyMiRec.Testing;

/// <summary>One small untrained model artifact over a synthetic catalog, written once per test run.</summary>
public static class TestModel
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

    /// <summary>Adds another artifact (<see cref="CreateAnother"/>) to <paramref name="store"/> as a new version.</summary>
    public static ModelManifest Stage(ModelStore store, int seed)
    {
        var staging = store.CreateStaging();
        CreateAnother(staging, seed);
        return store.AddVersion(staging);
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
