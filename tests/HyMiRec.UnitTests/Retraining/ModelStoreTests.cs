using HyMiRec.Model.Serving;

namespace HyMiRec.UnitTests.Retraining;

public sealed class ModelStoreTests
{
    [Fact]
    public void A_checked_version_becomes_current_and_loads()
    {
        using var root = new TempDirectory();
        var store = new ModelStore(root.Path);
        Assert.Null(store.CurrentVersion());

        var manifest = TestModel.Stage(store, seed: 3);
        Assert.Equal([manifest.ModelVersion], store.Versions());
        Assert.Null(store.CurrentVersion());

        store.SetCurrent(manifest.ModelVersion);
        Assert.Equal(manifest.ModelVersion, store.CurrentVersion());
        using var model = InterestModelStore.Load(store.DirectoryOf(manifest.ModelVersion));
        Assert.Equal(manifest.ModelVersion, model.Manifest.ModelVersion);
    }

    [Fact]
    public void A_damaged_staging_directory_is_never_added()
    {
        using var root = new TempDirectory();
        var store = new ModelStore(root.Path);
        var staging = store.CreateStaging();
        TestModel.CreateAnother(staging, seed: 4);
        File.AppendAllText(Path.Combine(staging, "items.npy"), "x");

        var error = Assert.Throws<InvalidDataException>(() => store.AddVersion(staging));
        Assert.Contains("items.npy", error.Message, StringComparison.Ordinal);
        Assert.Empty(store.Versions());
        Assert.Null(store.CurrentVersion());
    }

    [Fact]
    public void Current_does_not_move_to_a_version_damaged_after_it_was_added()
    {
        using var root = new TempDirectory();
        var store = new ModelStore(root.Path);
        var good = TestModel.Stage(store, seed: 5);
        store.SetCurrent(good.ModelVersion);
        var bad = TestModel.Stage(store, seed: 6);
        File.WriteAllText(Path.Combine(store.DirectoryOf(bad.ModelVersion), "network.bin"), "truncated");

        var error = Assert.Throws<InvalidDataException>(() => store.SetCurrent(bad.ModelVersion));
        Assert.Contains("network.bin", error.Message, StringComparison.Ordinal);
        Assert.Equal(good.ModelVersion, store.CurrentVersion());
        Assert.Empty(Directory.GetFiles(root.Path, "*.tmp"));
    }

    [Fact]
    public void Versions_are_immutable()
    {
        using var root = new TempDirectory();
        var store = new ModelStore(root.Path);
        var first = TestModel.Stage(store, seed: 7);
        var copy = store.CreateStaging();
        foreach (var file in Directory.GetFiles(store.DirectoryOf(first.ModelVersion)))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        Assert.Throws<IOException>(() => store.AddVersion(copy));
    }

    [Fact]
    public void Annotating_keeps_the_hashes_valid_and_records_the_gate()
    {
        using var root = new TempDirectory();
        var store = new ModelStore(root.Path);
        var staging = store.CreateStaging();
        TestModel.CreateAnother(staging, seed: 8);
        var paired = new PairedGate(1200, 2000, 0.95, 42, 0.005, 0.02, 200,
            [new GateMetricResult("ndcg@10", 0.1341, 0.1172, -0.0169, -0.0250, -0.0090), new GateMetricResult("recall@50", 0.3059, 0.3070, 0.0011, -0.004, 0.006)]);
        var gate = new ModelGate(true, "PUBLISHED BY --force although the gate refused: worse", "v0", Forced: true, Paired: paired);
        InterestModelStore.Annotate(staging, m => m with { Gate = gate, Metrics = new Dictionary<string, double> { ["holdout/candidate/ndcg@10"] = 0.1172 } });

        var manifest = store.AddVersion(staging);
        var read = InterestModelStore.Verify(store.DirectoryOf(manifest.ModelVersion)).Gate!;
        Assert.Equal((true, true, "v0", gate.Reason), (read.Published, read.Forced, read.CurrentVersion, read.Reason));
        Assert.Equal(paired with { Metrics = [] }, read.Paired! with { Metrics = [] });
        Assert.Equal(paired.Metrics, read.Paired.Metrics);
        Assert.Equal(0.0080, read.Paired.Metrics[0].HalfWidth, 10);
        Assert.Null(read.Metric);
        Assert.Equal(0.1172, manifest.Metrics["holdout/candidate/ndcg@10"]);
    }

    [Fact]
    public void A_manifest_with_the_old_single_metric_gate_still_loads()
    {
        using var root = new TempDirectory();
        var store = new ModelStore(root.Path);
        var staging = store.CreateStaging();
        TestModel.CreateAnother(staging, seed: 9);
        var path = Path.Combine(staging, InterestModelStore.ManifestFile);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["gate"] = System.Text.Json.Nodes.JsonNode.Parse("""
            {"published": true, "metric": "ndcg@10", "margin": 0.005, "candidate": 0.2, "current": 0.1, "currentVersion": "v0", "reason": "published: better"}
            """);
        File.WriteAllText(path, json.ToJsonString());

        var gate = store.AddVersion(staging).Gate!;

        Assert.Equal(new ModelGate(true, "published: better", "v0", Metric: "ndcg@10", Margin: 0.005, Candidate: 0.2, Current: 0.1), gate);
        Assert.False(gate.Forced);
        Assert.Null(gate.Paired);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData(".staging-x")]
    public void Version_names_cannot_leave_the_store(string name) =>
        Assert.ThrowsAny<ArgumentException>(() => new ModelStore("/tmp/store").DirectoryOf(name));
}
