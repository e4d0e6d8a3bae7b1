using HyMiRec.Model;
using HyMiRec.Model.Interests;
using HyMiRec.Model.Serving;
using HyMiRec.Training.Training;

namespace HyMiRec.Training.Benchmark;

/// <summary>
/// The training recipe a HyMiRec version was trained with, as manifest metrics (`train/...`), so `trainer retrain`
/// trains the next version the same way, as it keeps the architecture: validation picks some of these per dataset
/// (the weight decay), and defaults change (the coarse loss was off before 2026-12-06). What each run chooses for
/// itself (epochs, batch size, budgets, how often it validates) is not recorded; retrain has its own flags for those.
/// </summary>
public static class TrainingRecipe
{
    /// <summary><see cref="TrainingOptions.WeightDecay"/>; validation picks it per dataset (0.1 for HyMiRec on ML-1M, 0 on ML-100K).</summary>
    public const string WeightDecayMetric = "train/weightDecay";

    /// <summary><see cref="HyMiRecTrainingOptions.CoarseNextItemWeight"/>; manifests without it trained without the loss.</summary>
    public const string CoarseWeightMetric = "train/coarseNextItemWeight";

    /// <summary><see cref="HyMiRecTrainingOptions.CoarseNextItemPositions"/>; manifests without it trained without the loss.</summary>
    public const string CoarsePositionsMetric = "train/coarseNextItemPositions";

    public const string LearningRateMetric = "train/learningRate";

    public const string TemperatureMetric = "train/temperature";

    public const string AverageEpochsMetric = "train/averageEpochs";

    public const string MergedWeightMetric = "train/mergedNextItemWeight";

    public const string PositionWeightMetric = "train/positionNextItemWeight";

    public const string CutsMetric = "train/cutsPerSequence";

    public const string SequenceLengthMetric = "train/sequenceLength";

    /// <summary>1 or 0.</summary>
    public const string HistoryCropsMetric = "train/historyCrops";

    /// <summary>Only where Stage 1 was fixed in epochs; otherwise it ended at a share of the run.</summary>
    public const string StageOneEpochsMetric = "train/stageOneEpochs";

    /// <summary>Only where negatives were asked for (which turns the full softmax of small catalogs off).</summary>
    public const string NegativesMetric = "train/negatives";

    /// <summary>The <see cref="NegativeSampling"/> value as a number.</summary>
    public const string NegativeSamplingMetric = "train/negativeSampling";

    /// <summary>Writes the recipe <paramref name="recommender"/> trained with into <paramref name="metrics"/>.</summary>
    public static void Record(IDictionary<string, double> metrics, HyMiRecRecommender recommender)
    {
        var (training, extra) = (recommender.Training, recommender.Extra);
        metrics[WeightDecayMetric] = training.WeightDecay;
        metrics[LearningRateMetric] = training.LearningRate;
        metrics[AverageEpochsMetric] = training.AverageEpochs;
        metrics[NegativeSamplingMetric] = (int)training.NegativeSampling;
        metrics[MergedWeightMetric] = extra.MergedNextItemWeight;
        metrics[PositionWeightMetric] = extra.PositionNextItemWeight;
        metrics[CoarseWeightMetric] = extra.CoarseNextItemWeight;
        metrics[CoarsePositionsMetric] = extra.CoarseNextItemPositions;
        metrics[CutsMetric] = extra.CutsPerSequence;
        metrics[SequenceLengthMetric] = extra.SequenceLength;
        metrics[HistoryCropsMetric] = extra.HistoryCrops ? 1 : 0;
        if (training.Temperature is { } temperature)
        {
            metrics[TemperatureMetric] = temperature;
        }

        if (extra.StageOneEpochs is { } stageOne)
        {
            metrics[StageOneEpochsMetric] = stageOne;
        }

        if (extra.FullSoftmaxUpTo == 0)
        {
            metrics[NegativesMetric] = training.Negatives;
        }
    }

    /// <summary>
    /// <paramref name="settings"/> with the recipe <paramref name="current"/> recorded; what it lacks keeps today's
    /// defaults, except the coarse loss, which manifests from before it was recorded trained without. With no current
    /// version, <paramref name="settings"/> as they are.
    /// </summary>
    public static BenchmarkSettings Restore(BenchmarkSettings settings, ModelManifest? current)
    {
        if (current is null)
        {
            return settings;
        }

        var m = current.Metrics;
        double? Get(string key) => m.TryGetValue(key, out var value) ? value : null;
        int? GetInt(string key) => Get(key) is not { } value ? null
            : double.IsInteger(value) && value is >= int.MinValue and <= int.MaxValue ? (int)value
            : throw new InvalidDataException($"model {current.ModelVersion}: {key} {value} in its manifest is not a whole number");
        return settings with
        {
            WeightDecay = Get(WeightDecayMetric),
            LearningRate = Get(LearningRateMetric),
            Temperature = Get(TemperatureMetric),
            AverageEpochs = Get(AverageEpochsMetric),
            NegativeSampling = GetInt(NegativeSamplingMetric) is { } sampling
                ? Enum.IsDefined((NegativeSampling)sampling) ? (NegativeSampling)sampling
                    : throw new InvalidDataException($"model {current.ModelVersion}: {NegativeSamplingMetric} {sampling} is not a negative sampling")
                : null,
            Negatives = GetInt(NegativesMetric),
            MergedWeight = Get(MergedWeightMetric),
            PositionWeight = Get(PositionWeightMetric),
            CoarseWeight = Get(CoarseWeightMetric) ?? 0,
            CoarsePositions = GetInt(CoarsePositionsMetric) ?? 0,
            CutsPerSequence = GetInt(CutsMetric),
            SequenceLength = GetInt(SequenceLengthMetric),
            HistoryCrops = Get(HistoryCropsMetric) is { } crops ? crops != 0 : null,
            StageOneEpochs = GetInt(StageOneEpochsMetric),
        };
    }

    /// <summary>
    /// Validates the training <paramref name="restored"/> builds for <paramref name="options"/>, so a value out of range
    /// in a hand-edited manifest is refused before the replay, naming the version and its metric, not at fit time.
    /// The retrain's own flags are checked before this, so an option refused here with a recorded metric came from it;
    /// any other refusal names the version too, as the recipe and the architecture it is checked against are its.
    /// </summary>
    public static void Check(BenchmarkSettings restored, HyMiRecOptions options, ModelManifest? current)
    {
        try
        {
            ModelCatalog.HyMiRecTraining(restored).Validate();
            ModelCatalog.HyMiRecExtra(restored, options).Validate(options);
        }
        catch (OptionValueException e) when (current is not null)
        {
            throw MetricOf(e.ParamName) is { } key && current.Metrics.TryGetValue(key, out var value)
                ? new InvalidDataException($"model {current.ModelVersion}: {key} {value} in its manifest: {e.Rule}", e)
                : new InvalidDataException($"model {current.ModelVersion}: the training recipe in its manifest is refused: {e.Message}", e);
        }
    }

    /// <summary>The metric that records the options property <paramref name="property"/>, or null where none does.</summary>
    private static string? MetricOf(string? property) => property switch
    {
        nameof(TrainingOptions.WeightDecay) => WeightDecayMetric,
        nameof(TrainingOptions.LearningRate) => LearningRateMetric,
        nameof(TrainingOptions.Temperature) => TemperatureMetric,
        nameof(TrainingOptions.AverageEpochs) => AverageEpochsMetric,
        nameof(TrainingOptions.Negatives) => NegativesMetric,
        nameof(HyMiRecTrainingOptions.MergedNextItemWeight) => MergedWeightMetric,
        nameof(HyMiRecTrainingOptions.PositionNextItemWeight) => PositionWeightMetric,
        nameof(HyMiRecTrainingOptions.CoarseNextItemWeight) => CoarseWeightMetric,
        nameof(HyMiRecTrainingOptions.CoarseNextItemPositions) => CoarsePositionsMetric,
        nameof(HyMiRecTrainingOptions.CutsPerSequence) => CutsMetric,
        nameof(HyMiRecTrainingOptions.SequenceLength) => SequenceLengthMetric,
        nameof(HyMiRecTrainingOptions.StageOneEpochs) => StageOneEpochsMetric,
        _ => null,
    };
}
