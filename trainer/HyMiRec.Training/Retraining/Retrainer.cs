using System.Diagnostics;
using HyMiRec.Interfaces;
using HyMiRec.Model.Data;
using HyMiRec.Model.Interests;
using HyMiRec.Model.Pretrained;
using HyMiRec.Model.Serving;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Training;

namespace HyMiRec.Training.Retraining;

/// <summary>What one retrain did: the version written, whether it became current, and the figures behind that.</summary>
public sealed record RetrainOutcome(
    ModelManifest Manifest,
    bool Published,
    ClickReplayResult Replay,
    int Users,
    int HoldoutUsers,
    IReadOnlyDictionary<string, double> Candidate,
    IReadOnlyDictionary<string, double>? Current,
    double TrainingSequencesPerSecond);

/// <summary>
/// The retraining loop: replay the click log (and item events), rebuild sequences with each user's newest window
/// held out, train (warm-started from the current version when asked), score the candidate and the current version
/// on the holdout through the serving path, and publish the candidate to the model store only if the
/// <see cref="PublishGate"/> finds it not clearly worse on any gated metric. Every candidate is kept as an immutable
/// version with its gate decision in the manifest; only a published one moves CURRENT and is announced to the cluster.
/// </summary>
public sealed class Retrainer(RetrainSettings settings, ITrainingReporter reporter, IProgress<ReplayProgress>? replayProgress = null)
{
    public async Task<RetrainOutcome> RunAsync(Func<ModelRegistration, Task>? announce, CancellationToken cancellation = default)
    {
        // Checked before any replay or training, so a misspelt gate metric costs nothing.
        var gate = new PublishGate(settings.Gate);
        var store = new ModelStore(settings.StoreDirectory);
        store.RemoveAbandonedStaging(TimeSpan.FromDays(1));
        var currentVersion = store.CurrentVersion();
        using var current = currentVersion is null ? null : InterestModelStore.Load(store.DirectoryOf(currentVersion));
        var textModel = settings.TextModel is null ? null : LlamaCheckpoint.Open(settings.TextModel);
        CheckTextModel(current, currentVersion, textModel);

        // The architecture and recipe the retrain keeps from the current version, checked before the replay too.
        var options = ArchitectureFor(current, textModel);
        var benchmark = settings.TrainingAfter(current?.Manifest);
        TrainingRecipe.Check(benchmark, options, current?.Manifest);

        var catalog = BaseCatalog(current);
        if (settings.ItemsTopic is { } itemsTopic)
        {
            var items = ItemReplay.Read(settings.Source, itemsTopic, replayProgress, cancellation);
            catalog = catalog.With(items.Items);
            reporter.Message("retrain", $"items topic '{itemsTopic}': {items.Read:N0} events, {items.Rejected:N0} malformed skipped, catalog now {catalog.ItemCount:N0} items");
        }

        if (catalog.ItemCount == 0)
        {
            throw new UsageException("no item catalog: give --catalog FILE or --items-topic, or publish a first version to the store");
        }

        var replay = ClickReplay.Read(settings.Source, settings.ClickTopic, replayProgress, cancellation);
        var rejected = replay.Rejected.Count == 0 ? "none" : string.Join(", ", replay.Rejected.Select(r => $"{r.Key} {r.Value:N0}"));
        reporter.Message("retrain", $"click topic '{settings.ClickTopic}': {replay.Read:N0} events in {replay.Elapsed.TotalSeconds:F1} s " +
            $"({replay.EventsPerSecond:N0}/s), rejected: {rejected}");

        var data = ReplayDataset.Build(replay.Clicks, catalog, options.TargetWindow, $"kafka:{settings.ClickTopic}");
        reporter.Message("retrain", $"{data.Users:N0} users, {data.Training.InteractionCount:N0} training clicks, {data.Holdout.Length:N0} holdout windows of {options.TargetWindow}, " +
            $"{data.UnknownItemClicks:N0} clicks on items not in the catalog dropped");
        if (data.Training.Users.Count == 0)
        {
            throw new InvalidDataException($"topic '{settings.ClickTopic}' holds no usable clicks in the requested range");
        }

        using var recommender = new HyMiRecRecommender(settings.Model, options, ModelCatalog.HyMiRecTraining(benchmark), ModelCatalog.HyMiRecExtra(benchmark, options))
        {
            WarmStart = (settings.WarmStart || settings.KeepCodebook) && current is not null ? WarmStart.From(store.DirectoryOf(currentVersion!), current) : null,
            KeepCodebook = settings.KeepCodebook && current is not null,
            TextCheckpoint = textModel,
        };
        var clock = Stopwatch.StartNew();
        recommender.Fit(LeaveOneOutSplit.Create(data.Training), reporter);
        var seconds = clock.Elapsed.TotalSeconds;
        var throughput = (double)recommender.TrainingSequences * recommender.EpochsRun / Math.Max(1e-9, seconds);

        var staging = store.CreateStaging();
        recommender.SaveArtifact(staging, data.Training, new Dictionary<string, double>());
        HoldoutScores candidateScores;
        using (var model = InterestModelStore.Load(staging))
        {
            candidateScores = HoldoutEvaluator.Evaluate(model, data.Holdout);
        }

        var currentScores = current is null ? null : HoldoutEvaluator.Evaluate(current, data.Holdout);
        var decision = gate.Decide(candidateScores, currentScores, currentVersion, settings.Force);
        var candidate = candidateScores.Means();
        var currentMeans = currentScores?.Means();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["replay/events"] = replay.Read,
            ["replay/eventsPerSecond"] = Math.Round(replay.EventsPerSecond, 1),
            ["train/users"] = data.Users,
            ["train/clicks"] = data.Training.InteractionCount,
            ["train/epochs"] = recommender.EpochsRun,
            ["train/seconds"] = Math.Round(seconds, 1),
            ["train/sequencesPerSecond"] = Math.Round(throughput, 1),
            ["holdout/users"] = data.Holdout.Length,
        };
        TrainingRecipe.Record(metrics, recommender);
        foreach (var (name, value) in candidate)
        {
            metrics[$"holdout/candidate/{name}"] = Math.Round(value, 6);
        }

        foreach (var (name, value) in currentMeans ?? new Dictionary<string, double>())
        {
            metrics[$"holdout/current/{name}"] = Math.Round(value, 6);
        }

        InterestModelStore.Annotate(staging, m => m with { Metrics = metrics, Gate = decision });
        var manifest = store.AddVersion(staging);
        reporter.Message("retrain", $"version {manifest.ModelVersion} written: {decision.Reason}");
        if (decision.Published)
        {
            store.SetCurrent(manifest.ModelVersion);
            if (announce is not null)
            {
                await announce(new ModelRegistration(manifest.ModelVersion, store.DirectoryOf(manifest.ModelVersion), DateTimeOffset.UtcNow)).ConfigureAwait(false);
            }
        }

        return new RetrainOutcome(manifest, decision.Published, replay, data.Users, data.Holdout.Length, candidate, currentMeans, throughput);
    }

    private ItemCatalog BaseCatalog(HyMiRecInterestModel? current) =>
        settings.CatalogFile is { } file ? ItemCatalog.ReadTsv(file)
            : current?.Catalog ?? new ItemCatalog([string.Empty], [string.Empty]);

    private HyMiRecOptions ArchitectureFor(HyMiRecInterestModel? current, LlamaCheckpoint? textModel)
    {
        if (current is not null)
        {
            return current.Options;
        }

        if (settings.Options is { } options)
        {
            return ModelCatalog.WithTextModel(options, textModel);
        }

        return HyMiRecVariants.TryParse(settings.Model, out var variant) ? ModelCatalog.WithTextModel(variant, textModel)
            : throw new UsageException($"'{settings.Model}' is not a HyMiRec model; use hymirec or hymirec-<variant>");
    }

    /// <summary>
    /// A version's learnt projection only means something for the features of the checkpoint it was trained on, and
    /// the store's architecture is the current version's: the text model must match it either way.
    /// </summary>
    private void CheckTextModel(HyMiRecInterestModel? current, string? currentVersion, LlamaCheckpoint? textModel)
    {
        if (current is null)
        {
            return;
        }

        var expected = current.Manifest.Config.GetValueOrDefault(InterestModelStore.TextModelFingerprintKey);
        if (current.Options.TextSource != TextSource.Pretrained)
        {
            if (textModel is not null)
            {
                throw new UsageException($"current version {currentVersion} uses catalog-trained text; --text-model cannot change a store's architecture");
            }

            return;
        }

        var name = current.Manifest.Config.GetValueOrDefault(InterestModelStore.TextModelNameKey);
        var checkpoint = textModel
            ?? throw new UsageException($"current version {currentVersion} uses text features of the LLaMA checkpoint '{name}' (fingerprint {expected}): give --text-model DIR");
        var fingerprint = checkpoint.Fingerprint;
        if (fingerprint != expected)
        {
            throw new UsageException($"{checkpoint.Directory}: checkpoint fingerprint {fingerprint} differs from {expected} ('{name}'), the one current version {currentVersion} was trained on");
        }
    }
}
