using System.Text.Json.Nodes;
using HyMiRec.Model.Data;
using HyMiRec.Model.Interests;
using HyMiRec.Model.Pretrained;
using HyMiRec.Model.Serving;
using HyMiRec.Training;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Retraining;
using HyMiRec.Training.Training;
using HyMiRec.Testing.Pretrained;

namespace HyMiRec.IntegrationTests.Pretrained;

/// <summary>Training with a pretrained checkpoint's features, saving, and serving without the checkpoint.</summary>
public sealed class PretrainedArtifactTests
{
    private static readonly InteractionDataset Dataset =
        SyntheticDataset.Generate(new SyntheticOptions { Seed = 3, Users = 40, Topics = 4, ItemsPerTopic = 10, MinLength = 20, MaxLength = 30 }).Dataset;

    private static readonly HyMiRecOptions Tiny = new()
    {
        Dimension = 16, Heads = 2, MaxTextTokens = 16, CoarseQueries = 2, MaxHistory = 64, CodebookLayers = 2, CodebookCodes = 8,
        RefinedBlocks = 1, RecentWindow = 8, RefinedQueries = 2, TargetWindow = 4,
        TextSource = TextSource.Pretrained, PretrainedTextWidth = TinyLlama.Hidden,
    };

    private static readonly TrainingOptions Training = new() { Epochs = 2, BatchSize = 32, EvaluateEvery = 1, Patience = 5, Seed = 42 };

    [Fact]
    public void A_model_trained_on_pretrained_features_is_served_without_the_checkpoint()
    {
        using var root = new TempDirectory();
        var checkpointDirectory = Path.Combine(root.Path, "tiny-llama");
        TinyLlama.Write(checkpointDirectory, seed: 7);
        var fingerprint = LlamaCheckpoint.Open(checkpointDirectory).Fingerprint;
        var artifact = Path.Combine(root.Path, "artifact");
        var reporter = new RecordingReporter();
        using (var recommender = new HyMiRecRecommender("hymirec", Tiny, Training, new HyMiRecTrainingOptions { SequenceLength = 32, CutsPerSequence = 4 })
        {
            TextCheckpoint = LlamaCheckpoint.Open(checkpointDirectory),
        })
        {
            recommender.Fit(LeaveOneOutSplit.Create(Dataset), reporter);
            recommender.SaveArtifact(artifact, Dataset, new Dictionary<string, double>());
        }

        Assert.Contains(reporter.Messages, m => m.StartsWith($"text features from {checkpointDirectory}: {Dataset.ItemCount} items x {TinyLlama.Hidden} in ", StringComparison.Ordinal));

        // A copy that lives where no checkpoint is: serving needs only the artifact.
        var copy = Path.Combine(root.Path, "served");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(artifact))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        Directory.Delete(checkpointDirectory, recursive: true);
        Directory.Delete(artifact, recursive: true);
        using var model = InterestModelStore.Load(copy);
        Assert.Equal("Pretrained", model.Manifest.Config["textSource"]);
        Assert.Equal(fingerprint, model.Manifest.Config[InterestModelStore.TextModelFingerprintKey]);
        Assert.Equal("tiny-llama", model.Manifest.Config[InterestModelStore.TextModelNameKey]);
        Assert.DoesNotContain(model.Manifest.Files, f => f.Name == "vocab.txt");
        Assert.Equal(TextSource.Pretrained, model.Options.TextSource);

        var interests = model.ComputeInterests([model.RequestFor(Dataset.Users[0].Items[..10]), model.RequestFor(Dataset.Users[1].Items[..15])]);
        Assert.All(interests, i => Assert.Equal(model.RefinedInterests * model.Dimension, i.Refined.Length));
        Assert.All(interests, i => Assert.All(i.Refined, v => Assert.True(float.IsFinite(v))));
        Assert.NotEqual(interests[0].Refined, interests[1].Refined);
        Assert.Equal(10, model.Recommend(interests[0], 10).Count);
    }

    [Fact]
    public async Task Warm_start_and_retrain_reuse_a_pretrained_version_only_with_the_same_checkpoint()
    {
        using var root = new TempDirectory();
        var checkpointDirectory = Path.Combine(root.Path, "tiny");
        var otherDirectory = Path.Combine(root.Path, "other");
        TinyLlama.Write(checkpointDirectory, seed: 7);
        TinyLlama.Write(otherDirectory, seed: 8);
        var store = new ModelStore(Path.Combine(root.Path, "store"));
        var extra = new HyMiRecTrainingOptions { SequenceLength = 32, CutsPerSequence = 4 };
        using (var first = new HyMiRecRecommender("hymirec", Tiny, Training with { Epochs = 1 }, extra) { TextCheckpoint = LlamaCheckpoint.Open(checkpointDirectory) })
        {
            first.Fit(LeaveOneOutSplit.Create(Dataset), new SilentTrainingReporter());
            var staging = store.CreateStaging();
            first.SaveArtifact(staging, Dataset, new Dictionary<string, double>());
            store.SetCurrent(store.AddVersion(staging).ModelVersion);
        }

        var artifact = store.DirectoryOf(store.CurrentVersion()!);
        using (var current = InterestModelStore.Load(artifact))
        {
            var warm = WarmStart.From(artifact, current);
            Assert.Null(warm.Tokenizer);
            using (var same = new HyMiRecRecommender("hymirec", Tiny, Training with { Epochs = 1 }, extra) { WarmStart = warm, TextCheckpoint = LlamaCheckpoint.Open(checkpointDirectory) })
            {
                var reporter = new RecordingReporter();
                same.Fit(LeaveOneOutSplit.Create(Dataset), reporter);
                Assert.Contains(reporter.Messages, m => m.StartsWith("warm start: ", StringComparison.Ordinal) && m.Contains(" 0 left fresh", StringComparison.Ordinal));
            }

            using var other = new HyMiRecRecommender("hymirec", Tiny, Training with { Epochs = 1 }, extra) { WarmStart = warm, TextCheckpoint = LlamaCheckpoint.Open(otherDirectory) };
            var error = Assert.Throws<InvalidDataException>(() => other.Fit(LeaveOneOutSplit.Create(Dataset), new SilentTrainingReporter()));
            Assert.Contains("fingerprint", error.Message, StringComparison.Ordinal);
        }

        // `trainer retrain` checks before it reads any click, so an unreachable broker is never contacted.
        var source = new ReplaySource("127.0.0.1:1", new Dictionary<string, string>(), null, null);
        RetrainSettings Settings(string? textModel) => new() { Source = source, StoreDirectory = store.Root, TextModel = textModel };
        var none = await Assert.ThrowsAsync<UsageException>(() => new Retrainer(Settings(null), new SilentTrainingReporter()).RunAsync(null));
        Assert.Contains("--text-model", none.Message, StringComparison.Ordinal);
        var wrong = await Assert.ThrowsAsync<UsageException>(() => new Retrainer(Settings(otherDirectory), new SilentTrainingReporter()).RunAsync(null));
        Assert.Contains("fingerprint", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_benchmark_runs_the_checkpoint_over_the_catalog_once_for_all_its_variants()
    {
        using var dir = new TempDirectory();
        TinyLlama.Write(dir.Path, seed: 9);
        var reporter = new RecordingReporter();
        var settings = new BenchmarkSettings { Data = "synthetic", Models = ["hymirec-no-dmil", "hymirec-s1"], Quick = true, Epochs = 1, Seed = 42, TextModel = dir.Path };
        var report = BenchmarkRunner.Run(settings, reporter);
        Assert.Equal(2, report.Results.Count);
        var features = reporter.Messages.Where(m => m.StartsWith("text features from ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, features.Length);
        Assert.DoesNotContain("reused", features[0], StringComparison.Ordinal);
        Assert.Contains("reused", features[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_written_before_text_sources_existed_still_loads_as_catalog_text()
    {
        using var dir = new TempDirectory();
        InterestModelStore.CreateUntrained(dir.Path, Dataset, seed: 4, new HyMiRecOptions { Dimension = 16, CodebookCodes = 8 });
        var path = Path.Combine(dir.Path, InterestModelStore.ManifestFile);
        var manifest = JsonNode.Parse(File.ReadAllText(path))!;
        var config = manifest["config"]!.AsObject();
        Assert.True(config.Remove("textSource"));
        Assert.True(config.Remove("pretrainedTextWidth"));
        File.WriteAllText(path, manifest.ToJsonString());

        using var model = InterestModelStore.Load(dir.Path);
        Assert.Equal(TextSource.Catalog, model.Options.TextSource);
        Assert.False(model.Manifest.Config.ContainsKey("textSource"));
        Assert.Single(model.ComputeInterests([model.RequestFor(Dataset.Users[0].Items[..8])]));
    }

    private sealed class RecordingReporter : ITrainingReporter
    {
        public List<string> Messages { get; } = [];

        public void Epoch(string model, int epoch, int epochs, double? loss, double? validation, TimeSpan elapsed)
        {
        }

        public void Message(string model, string message) => Messages.Add(message);
    }
}
