using HyMiRec.Model;
using HyMiRec.Model.Interests;

namespace HyMiRec.Training.Training;

/// <summary>Which of the refined recommender's outputs rank items when HyMiRec is validated and tested.</summary>
public enum InterestScoring
{
    /// <summary>The s refined interests, an item's score its best cosine over them (the paper's rule).</summary>
    Interests,

    /// <summary>The s refined interests and the last item token's output (the per-position loss's next-item vector): best cosine over s + 1.</summary>
    InterestsAndLastItem,

    /// <summary>The last item token's output alone: the refined recommender read as a sliding-window next-item model (diagnostic).</summary>
    LastItem,
}

/// <summary>HyMiRec-specific optimisation settings on top of <see cref="TrainingOptions"/>.</summary>
public sealed record HyMiRecTrainingOptions
{
    /// <summary>Newest items of each training sequence used per step (the whole sequence feeds both recommenders).</summary>
    public int SequenceLength { get; init; } = 128;

    /// <summary>
    /// Longer sequences train each epoch on a window ending at a random position instead of their newest
    /// <see cref="SequenceLength"/> items (<see cref="SequenceCrop"/>), so their older events are targets too.
    /// </summary>
    public bool HistoryCrops { get; init; }

    /// <summary>Cut points (samples) drawn per sequence and step; each yields one set of interests.</summary>
    public int CutsPerSequence { get; init; } = 12;

    /// <summary>
    /// Catalogs with more items than this train on per-step item subsets (<see cref="HyMiRec.Model.Losses.ItemSubset"/>):
    /// the item tower runs only on the step's histories, targets and negatives. Smaller catalogs run the whole
    /// catalog through the tower every step, which is cheap there and keeps the text centring exact (the subset path
    /// centres on the negatives' mean; on ML-100K at 20 epochs that cost R@10 0.0848 against 0.0976).
    /// </summary>
    public int SubsetAboveItems { get; init; } = 8192;

    /// <summary>
    /// Catalogs of at most this many items train DMIL with the full softmax over every item instead of sampled
    /// negatives (0: always sampled). One batch-wide set of 128 negatives makes an item of ML-100K a negative about
    /// once in 13 steps; the full softmax costs little at this size and lifted ML-100K's R@10 by half
    /// (docs/benchmarks.md, "Full softmax and the merged next-item loss").
    /// </summary>
    public int FullSoftmaxUpTo { get; init; } = 8192;

    /// <summary>
    /// Weight of the merged next-item loss (<see cref="HyMiRec.Model.Losses.MergedNextItemLoss"/>) added to DMIL; 0 for
    /// DMIL alone. It trains the ranking serving uses (best cosine over the interests), which DMIL never sees.
    /// </summary>
    public double MergedNextItemWeight { get; init; } = 1.0;

    /// <summary>
    /// Weight of the per-position next-item loss on the refined recommender's item tokens
    /// (<see cref="HyMiRec.Model.Losses.PositionNextItemLoss"/>) added to the cut points' loss; 0 for none. It gives
    /// every position of a training sequence a target, as SASRec has, instead of <see cref="CutsPerSequence"/> alone.
    /// </summary>
    public double PositionNextItemWeight { get; init; } = 1.0;

    /// <summary>
    /// Weight of a per-position next-item loss on the lightweight recommender's history tokens (their outputs through
    /// its norm, scored as the refined item tokens are); 0 for none. Without it the coarse blocks learn only through
    /// what the refined queries take from the coarse interests; with it they are also trained as a causal next-item
    /// model over the whole history, as SASRec is, and the coarse queries and the state token
    /// (<see cref="HyMiRec.Model.Interests.HyMiRecOptions.CoarseStateToken"/>) read those states. Training only: serving
    /// and the artifact are unchanged. Needs the lightweight recommender: models without it train with 0.
    /// </summary>
    public double CoarseNextItemWeight { get; init; } = 1.0;

    /// <summary>
    /// History positions per sequence that <see cref="CoarseNextItemWeight"/>'s loss scores, drawn afresh each step
    /// from those with a next item; 0 scores every one. Over long histories with a full softmax that loss costs more
    /// than the rest of the step when every position is scored (ML-1M: about 3 x an epoch's time); with 32 an ML-1M epoch
    /// takes about as long as one without the loss (docs/benchmarks.md, "The coarse-state design as the default").
    /// </summary>
    public int CoarseNextItemPositions { get; init; } = 32;

    /// <summary>
    /// What ranks items at validation and test (<see cref="InterestScoring"/>); training is the same for every choice.
    /// The last item token's output is trained only by the per-position loss, so it needs
    /// <see cref="PositionNextItemWeight"/> above 0.
    /// </summary>
    public InterestScoring Scoring { get; init; } = InterestScoring.Interests;

    /// <summary>
    /// On catalogs above <see cref="SubsetAboveItems"/> with text, the items a step scores (targets and sampled
    /// negatives) take their text summaries from a cache of the whole catalog recomputed every this many steps
    /// (<see cref="NegativeTextCache"/>), so a step runs the text encoder on its history items only; 0 runs every
    /// item of the step through the text encoder.
    /// </summary>
    public int NegativeTextRefreshSteps { get; init; } = 500;

    /// <summary>
    /// Most of the epochs (or of the time budget) spent in Stage 1, before the codebook is built. Stage 1 ends sooner on
    /// its own validation plateau (the early-stopping rule of Stage 2), so a large epoch cap does not hold it there.
    /// </summary>
    public double StageOneShare { get; init; } = 0.35;

    /// <summary>
    /// Stage 1 runs at most this many epochs whatever the clock says (its validation plateau can still end it sooner),
    /// and <see cref="StageOneShare"/> does not apply; null gives Stage 1 that share of the epochs and of the time budget.
    /// A time share ends Stage 1 at an epoch that moves with the machine's load, and Stage 2 goes on from there, so runs
    /// that are to be compared fix Stage 1 in epochs.
    /// </summary>
    public int? StageOneEpochs { get; init; }

    /// <summary>Item texts per forward pass of a pretrained text model (bounds its activation memory).</summary>
    public int TextFeatureBatch { get; init; } = 16;

    /// <summary>The range rules of these options, written once (see <see cref="TrainingOptions.Validate"/>).</summary>
    public void Validate()
    {
        Require(SequenceLength >= 2, nameof(SequenceLength), "must be at least 2 (a history and a target)");
        Require(CutsPerSequence >= 1, nameof(CutsPerSequence), "must be at least 1: each sequence needs a cut point");
        Require(SubsetAboveItems >= 0, nameof(SubsetAboveItems), "cannot be negative");
        Require(FullSoftmaxUpTo >= 0, nameof(FullSoftmaxUpTo), "cannot be negative (0: always sampled negatives)");
        Require(double.IsFinite(MergedNextItemWeight) && MergedNextItemWeight >= 0, nameof(MergedNextItemWeight),
            "must be finite and not negative: a loss weight (0 turns the term off)");
        Require(double.IsFinite(PositionNextItemWeight) && PositionNextItemWeight >= 0, nameof(PositionNextItemWeight),
            "must be finite and not negative: a loss weight (0 turns the term off)");
        Require(double.IsFinite(CoarseNextItemWeight) && CoarseNextItemWeight >= 0, nameof(CoarseNextItemWeight),
            "must be finite and not negative: a loss weight (0 turns the term off)");
        Require(CoarseNextItemPositions >= 0, nameof(CoarseNextItemPositions), "cannot be negative (0 scores every position)");
        Require(CoarseNextItemPositions == 0 || CoarseNextItemWeight > 0, nameof(CoarseNextItemPositions),
            "samples the positions of the coarse next-item loss: set CoarseNextItemWeight above 0 too");
        Require(Scoring == InterestScoring.Interests || PositionNextItemWeight > 0, nameof(Scoring),
            "reads the last item token, which only the per-position loss trains: keep PositionNextItemWeight above 0");
        Require(NegativeTextRefreshSteps >= 0, nameof(NegativeTextRefreshSteps), "cannot be negative (0: no cache, every item of a step goes through the text encoder)");
        Require(StageOneShare is > 0 and <= 1, nameof(StageOneShare), "must be in (0, 1]");
        Require(StageOneEpochs is null or >= 1, nameof(StageOneEpochs),
            "must be at least 1: Stage 1 trains the embeddings its codebook is built from");
        Require(TextFeatureBatch >= 1, nameof(TextFeatureBatch), "must be at least 1");
    }

    /// <summary><see cref="Validate()"/>, and the rules that depend on the architecture <paramref name="model"/> trains.</summary>
    public void Validate(HyMiRecOptions model)
    {
        Validate();
        Require(CoarseNextItemWeight == 0 || model.UseCoarse, nameof(CoarseNextItemWeight),
            "trains the lightweight recommender, which this model does not have (UseCoarse off, as in hymirec-no-coarse)");
    }

    private static void Require(bool valid, string property, string rule) => OptionValueException.Require(valid, "HyMiRec training options", property, rule);
}
