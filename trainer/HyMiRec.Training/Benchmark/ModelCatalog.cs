using HyMiRec.Model.Data;
using HyMiRec.Model.Interests;
using HyMiRec.Model.Modules;
using HyMiRec.Model.Pretrained;
using HyMiRec.Training.Training;

namespace HyMiRec.Training.Benchmark;

/// <summary>The models `trainer benchmark --models` knows, with their quick and full budgets.</summary>
public static class ModelCatalog
{
    public static readonly string[] Names = ["popularity", "cooccurrence", "sasrec", "hymirec", Oracle];

    /// <summary>Ranks by the generator's own next-item probabilities (<see cref="SyntheticOracleRecommender"/>): generated data only.</summary>
    public const string Oracle = "oracle";

    private static string Known => $"{string.Join(", ", Names)}, hymirec-<ablation> ({string.Join(", ", HyMiRecVariants.Ablations.Keys)}) " +
        "and hymirec-s<N>-w<N>";

    /// <summary>Refuses unknown model names, and the oracle on data whose generator is not known.</summary>
    public static void Validate(BenchmarkSettings settings)
    {
        foreach (var name in settings.Models.Where(n => !Names.Contains(n) && !HyMiRecVariants.IsVariant(n)))
        {
            throw new UsageException($"unknown model '{name}'; known models: {Known}");
        }

        if (settings.Models.Contains(Oracle) && !DatasetSource.IsGenerated(settings.Data))
        {
            throw new UsageException($"model '{Oracle}' ranks by the generator's own next-item probabilities, so it needs generated data " +
                $"(synthetic, planted or sparse), not {settings.Data}");
        }
    }

    /// <param name="textModel">
    /// The opened <see cref="BenchmarkSettings.TextModel"/> (<see cref="OpenTextModel"/>), shared by every model of a
    /// run so the checkpoint is hashed and run over the catalog once.
    /// </param>
    /// <param name="itemText">
    /// Whether the dataset has item text (<see cref="InteractionDataset.HasItemText"/>). Without it HyMiRec
    /// models run with the text encoder off, and their artifact's config says so ("useText": "false").
    /// </param>
    public static IRecommender Create(string name, BenchmarkSettings settings, LlamaCheckpoint? textModel, bool itemText) => name switch
    {
        "popularity" => new PopularityRecommender(),
        "cooccurrence" => new CooccurrenceRecommender(),
        Oracle => new SyntheticOracleRecommender(DatasetSource.Generated(settings.Data, settings.DataSeed ?? settings.Seed)
            ?? throw new UsageException($"model '{Oracle}' needs generated data, not {settings.Data}")),
        "sasrec" => new SasRecRecommender(SasRec(settings), SasRecTraining(settings)),
        _ when HyMiRecVariants.TryParse(name, out var options) => CreateHyMiRec(name, WithSettings(ForData(options, itemText), settings), settings, textModel),
        _ => throw new UsageException($"unknown model '{name}'; known models: {Known}"),
    };

    /// <summary>
    /// Pretrained text features of the checkpoint's width when one is given; the no-text ablation stays without text.
    /// </summary>
    public static HyMiRecOptions WithTextModel(HyMiRecOptions options, LlamaCheckpoint? textModel) =>
        textModel is null || !options.UseText ? options : options with
        {
            TextSource = TextSource.Pretrained,
            PretrainedTextWidth = textModel.Config.HiddenSize,
        };

    /// <summary>The checkpoint of <see cref="BenchmarkSettings.TextModel"/>, refused before it is read when the data has no item text to feed it.</summary>
    public static LlamaCheckpoint? OpenTextModel(BenchmarkSettings settings, InteractionDataset dataset) =>
        settings.TextModel is null ? null
            : !dataset.HasItemText ? throw new UsageException($"--text-model needs item text, and dataset {dataset.Name} has none")
            : LlamaCheckpoint.Open(settings.TextModel);

    /// <summary>
    /// A text encoder over empty strings gives every item the same vector, which the item tower then centres away:
    /// it would cost training time and say nothing, so data without item text turns it off.
    /// </summary>
    private static HyMiRecOptions ForData(HyMiRecOptions options, bool itemText) => itemText ? options : options with { UseText = false };

    private static HyMiRecRecommender CreateHyMiRec(string name, HyMiRecOptions options, BenchmarkSettings settings, LlamaCheckpoint? textModel) =>
        new(name, WithTextModel(options, textModel), HyMiRecTraining(settings), HyMiRecExtra(settings, options))
        {
            TextCheckpoint = textModel,
        };

    public static SasRecOptions SasRec(BenchmarkSettings settings)
    {
        // 0 asks for 1/sqrt(dimension); a negative value goes on to the options' Validate, which refuses it.
        var options = settings.ItemInitStd is { } std ? new SasRecOptions { ItemInitStd = std == 0 ? null : std } : new SasRecOptions();
        options = settings.SasRecLength is { } length ? options with { MaxLength = length } : options;
        options = settings.MaxHistory is { } history ? options with { MaxHistory = history } : options;
        return settings.Dropout is { } dropout ? options with { Dropout = dropout } : options;
    }

    private static HyMiRecOptions WithSettings(HyMiRecOptions options, BenchmarkSettings settings) =>
        options with
        {
            Dropout = settings.Dropout ?? options.Dropout,
            IdInitStd = settings.ItemInitStd,
            MaxHistory = settings.MaxHistory ?? options.MaxHistory,
        };

    /// <summary>
    /// Builds and validates every neural model's options from <paramref name="settings"/> before any data is read, so
    /// a value out of range fails at once; the <see cref="HyMiRec.Model.OptionValueException"/> names the property, which
    /// the CLI maps back to its flag. HyMiRec's options go first: their rule for the init std says what 0 means. The
    /// HyMiRec variants among the settings' models are checked with their own architecture (a loss flag for a part
    /// the variant lacks is refused here too).
    /// </summary>
    public static void CheckSettings(BenchmarkSettings settings)
    {
        var hymirec = WithSettings(new HyMiRecOptions(), settings);
        hymirec.Validate();
        HyMiRecTraining(settings).Validate();
        HyMiRecExtra(settings, hymirec).Validate(hymirec);
        foreach (var name in settings.Models)
        {
            if (HyMiRecVariants.TryParse(name, out var variant))
            {
                var options = WithSettings(variant, settings);
                HyMiRecExtra(settings, options).Validate(options);
            }
        }

        SasRec(settings).Validate();
        SasRecTraining(settings).Validate();
    }

    private static readonly TrainingOptions Defaults = new();

    /// <summary>The neural models validate and keep a moving average of their weights with this time constant (epochs).</summary>
    public const double DefaultAverageEpochs = 2;

    /// <summary>Flags that are not given keep <see cref="TrainingOptions"/>' own defaults, so each default is written once.</summary>
    public static TrainingOptions SasRecTraining(BenchmarkSettings settings) => Defaults with
    {
        // Quick runs get a wall-clock budget so the same flag fits 100K and 1M within the 15-minute target.
        Epochs = settings.Epochs ?? (settings.Quick ? 200 : 400),
        TimeBudget = settings.TimeBudget ?? (settings.Quick && settings.Epochs is null ? TimeSpan.FromMinutes(9) : null),
        EvaluateEvery = settings.EvaluateEvery ?? (settings.Quick ? 5 : 10),
        Negatives = settings.Negatives ?? Defaults.Negatives,
        NegativeSampling = settings.NegativeSampling ?? NegativeSampling.Sequence,
        Patience = settings.Quick ? 3 : 5,
        ValidationExcludesHistory = !settings.KeepHistory,
        TraceTest = settings.TraceTest,
        Seed = settings.Seed,
        BatchSize = settings.BatchSize ?? Defaults.BatchSize,
        LearningRate = settings.LearningRate ?? Defaults.LearningRate,
        WeightDecay = settings.WeightDecay ?? Defaults.WeightDecay,
        Temperature = settings.Temperature ?? Defaults.Temperature,
        // Measured on ML-100K and ML-1M for both models (docs/benchmarks.md, "Both models with the moving average").
        AverageEpochs = settings.AverageEpochs ?? DefaultAverageEpochs,
    };

    /// <summary>
    /// An explicit --negatives turns HyMiRec's full softmax for small catalogs off, so the flag means what it says. The
    /// coarse next-item loss is on by default where <paramref name="model"/> has the lightweight recommender it trains;
    /// without one it is off unless asked for (and then refused). Its positions sample only where the loss is on.
    /// </summary>
    public static HyMiRecTrainingOptions HyMiRecExtra(BenchmarkSettings settings, HyMiRecOptions model)
    {
        var defaults = new HyMiRecTrainingOptions();
        var coarseWeight = settings.CoarseWeight ?? (model.UseCoarse ? defaults.CoarseNextItemWeight : 0);
        return defaults with
        {
            FullSoftmaxUpTo = settings.Negatives is null ? defaults.FullSoftmaxUpTo : 0,
            MergedNextItemWeight = settings.MergedWeight ?? defaults.MergedNextItemWeight,
            PositionNextItemWeight = settings.PositionWeight ?? defaults.PositionNextItemWeight,
            CoarseNextItemWeight = coarseWeight,
            CoarseNextItemPositions = settings.CoarsePositions ?? (coarseWeight > 0 ? defaults.CoarseNextItemPositions : 0),
            HistoryCrops = settings.HistoryCrops ?? defaults.HistoryCrops,
            CutsPerSequence = settings.CutsPerSequence ?? defaults.CutsPerSequence,
            SequenceLength = settings.SequenceLength ?? defaults.SequenceLength,
            Scoring = settings.Scoring ?? defaults.Scoring,
            StageOneEpochs = settings.StageOneEpochs ?? defaults.StageOneEpochs,
        };
    }

    /// <summary>
    /// HyMiRec learns faster per second with more, smaller steps (64 sequences x 12 cut points each). Its negatives are
    /// drawn once per batch (unless `--negative-sampling Sequence` asks for a set per sequence), so a large catalog needs
    /// many: with 128, each item of a 10,000-item catalog is a negative once in 78 steps and the model barely learns
    /// (docs/benchmarks.md, "HyMiRec on large catalogs"). Catalogs of at most
    /// <see cref="HyMiRecTrainingOptions.FullSoftmaxUpTo"/> items use the full softmax instead.
    /// </summary>
    public static TrainingOptions HyMiRecTraining(BenchmarkSettings settings) =>
        SasRecTraining(settings) with
        {
            BatchSize = settings.BatchSize ?? 64,
            NegativeSampling = settings.NegativeSampling ?? NegativeSampling.Batch,
            Negatives = settings.Negatives ?? 2048,
        };
}
