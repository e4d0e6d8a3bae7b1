using System.CommandLine;
using HyMiRec.Model.Interests;
using HyMiRec.Model.Modules;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Training;

namespace HyMiRec.Training.Commands;

/// <summary>
/// The training-recipe flags `benchmark` and `train` share, so a served model can be trained with any recipe a
/// benchmark measured (docs/benchmarks.md's ML-1M rows use --stage-one-epochs, for example). Null leaves each setting
/// to <see cref="ModelCatalog"/>'s defaults. Flags that only make sense beside other models or as a diagnostic
/// (--scoring, --sasrec-length, --trace-test) stay with `benchmark`.
/// </summary>
public sealed class RecipeFlags
{
    public Option<double?> LearningRate { get; } = new("--learning-rate") { Description = "Override the learning rate of neural models" };

    public Option<double?> Temperature { get; } = new("--temperature") { Description = "Override the softmax temperature of the neural models' cosine logits (default 0.05)" };

    public Option<double?> Dropout { get; } = new("--dropout") { Description = "Override the neural models' dropout (default 0.2): SASRec's embeddings and blocks, HyMiRec's transformer blocks (text tower included)" };

    public Option<int?> Negatives { get; } = new("--negatives") { Description = "Override the sampled negatives (default 128; at least the catalog size: full softmax)" };

    public Option<NegativeSampling?> NegativeSampling { get; } = new("--negative-sampling") { Description = "Batch: one set of negatives for the whole batch (HyMiRec's default); Sequence: a set per training sequence (SASRec's default)" };

    public Option<int?> EvaluateEvery { get; } = new("--eval-every") { Description = "Validate every N epochs (default 5 quick, 10 full)" };

    public Option<double?> BudgetMinutes { get; } = new("--budget-minutes") { Description = "Wall-clock training budget per neural model in minutes, checked between batches (quick default 9)" };

    public Option<double?> ItemInitStd { get; } = new("--item-init-std") { Description = "Item id embedding std at initialisation: SASRec (default 0.02; 0 for the former 1/sqrt(dimension)) and HyMiRec (default: 0.02 above 2,048 items, else 1/sqrt(dimension); 0 for 1/sqrt(dimension))" };

    public Option<double?> MergedWeight { get; } = new("--merged-weight") { Description = "HyMiRec: weight of the merged next-item loss added to DMIL (default 1; 0: DMIL alone)" };

    public Option<double?> PositionWeight { get; } = new("--position-weight") { Description = "HyMiRec: weight of the per-position next-item loss on the refined recommender's item tokens (default 1; 0 turns it off)" };

    public Option<double?> CoarseWeight { get; } = new("--coarse-weight") { Description = "HyMiRec: weight of the next-item loss on the lightweight recommender's history tokens, a causal pass over the whole history (default 1; 0: off)" };

    public Option<int?> CoarsePositions { get; } = new("--coarse-positions") { Description = "HyMiRec: history positions per sequence the --coarse-weight loss scores, drawn each step (default 32; 0: every position)" };

    public Option<double?> AverageEpochs { get; } = new("--average-epochs") { Description = "Validate and keep a moving average of the weights with this time constant in epochs (default 2; 0 validates and keeps the live weights)" };

    public Option<int?> StageOneEpochs { get; } = new("--stage-one-epochs") { Description = "HyMiRec: end Stage 1 after this many epochs (sooner on its validation plateau) instead of a share of the epochs and of --budget-minutes, so the machine's load cannot move where it ends" };

    public Option<bool> HistoryCrops { get; } = new("--history-crops") { Description = "HyMiRec: train each epoch on a random window of each long sequence instead of its newest items" };

    public Option<int?> Cuts { get; } = new("--cuts") { Description = "HyMiRec: cut points (training samples) drawn per sequence and step (default 12)" };

    public Option<int?> SequenceLength { get; } = new("--sequence-length") { Description = "HyMiRec: newest events of each training sequence a step reads (default 128)" };

    public Option<int?> MaxHistory { get; } = new("--max-history") { Description = "Newest events of a history a model reads when it scores (validation, test, serving); training is unchanged. HyMiRec: default 1024, the refined recommender reads only the latest n x its blocks of them, the lightweight recommender all; training reads each sequence's newest 128. SASRec: default and most its length (--sasrec-length, 200)" };

    /// <summary>Every flag, in the order `--help` lists them.</summary>
    private IReadOnlyList<Option> All =>
    [
        LearningRate, Temperature, Dropout, Negatives, NegativeSampling, EvaluateEvery, BudgetMinutes, ItemInitStd, MergedWeight,
        PositionWeight, CoarseWeight, CoarsePositions, AverageEpochs, StageOneEpochs, HistoryCrops, Cuts, SequenceLength, MaxHistory,
    ];

    /// <summary>
    /// Each flag by the options property it sets, for <see cref="Cli.CheckFlags"/>: a value out of range is refused by the
    /// options' own rule, under the flag. Where SASRec and HyMiRec name a property alike, one entry serves both.
    /// </summary>
    private IEnumerable<KeyValuePair<string, Option>> ByProperty =>
    [
        new(nameof(TrainingOptions.LearningRate), LearningRate),
        new(nameof(TrainingOptions.Temperature), Temperature),
        new(nameof(TrainingOptions.Negatives), Negatives),
        new(nameof(TrainingOptions.EvaluateEvery), EvaluateEvery),
        new(nameof(TrainingOptions.TimeBudget), BudgetMinutes),
        new(nameof(TrainingOptions.AverageEpochs), AverageEpochs),
        new(nameof(HyMiRecOptions.Dropout), Dropout),
        new(nameof(HyMiRecOptions.IdInitStd), ItemInitStd),
        new(nameof(SasRecOptions.ItemInitStd), ItemInitStd),
        new(nameof(HyMiRecTrainingOptions.MergedNextItemWeight), MergedWeight),
        new(nameof(HyMiRecTrainingOptions.PositionNextItemWeight), PositionWeight),
        new(nameof(HyMiRecTrainingOptions.CoarseNextItemWeight), CoarseWeight),
        new(nameof(HyMiRecTrainingOptions.CoarseNextItemPositions), CoarsePositions),
        new(nameof(HyMiRecTrainingOptions.StageOneEpochs), StageOneEpochs),
        new(nameof(HyMiRecTrainingOptions.CutsPerSequence), Cuts),
        new(nameof(HyMiRecTrainingOptions.SequenceLength), SequenceLength),
        new(nameof(HyMiRecOptions.MaxHistory), MaxHistory),
    ];

    /// <summary>Adds every recipe flag to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var flag in All)
        {
            command.Options.Add(flag);
        }
    }

    /// <summary>Adds every recipe flag to <paramref name="flags"/>, the command's map for <see cref="Cli.CheckFlags"/>.</summary>
    public void AddTo(IDictionary<string, Option> flags)
    {
        foreach (var (property, flag) in ByProperty)
        {
            flags[property] = flag;
        }
    }

    /// <summary><paramref name="settings"/> with every recipe flag the command line gave.</summary>
    public BenchmarkSettings Apply(ParseResult parse, BenchmarkSettings settings) => settings with
    {
        LearningRate = parse.GetValue(LearningRate),
        Temperature = parse.GetValue(Temperature),
        Dropout = parse.GetValue(Dropout),
        Negatives = parse.GetValue(Negatives),
        NegativeSampling = parse.GetValue(NegativeSampling),
        EvaluateEvery = parse.GetValue(EvaluateEvery),
        TimeBudget = parse.GetValue(BudgetMinutes) is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
        ItemInitStd = parse.GetValue(ItemInitStd),
        MergedWeight = parse.GetValue(MergedWeight),
        PositionWeight = parse.GetValue(PositionWeight),
        CoarseWeight = parse.GetValue(CoarseWeight),
        CoarsePositions = parse.GetValue(CoarsePositions),
        AverageEpochs = parse.GetValue(AverageEpochs),
        StageOneEpochs = parse.GetValue(StageOneEpochs),
        HistoryCrops = parse.GetValue(HistoryCrops) ? true : null,
        CutsPerSequence = parse.GetValue(Cuts),
        SequenceLength = parse.GetValue(SequenceLength),
        MaxHistory = parse.GetValue(MaxHistory),
    };
}
