namespace HyMiRec.Training.Training;

/// <summary>
/// When HyMiRec's Stage 1 ends: at its epoch cap (<see cref="HyMiRecTrainingOptions.StageOneEpochs"/>, else a share of
/// the epochs), at its share of the time budget (only when the cap is not fixed), or on its own validation plateau,
/// whichever comes first. A model without a codebook has one stage, which counts as the last.
/// </summary>
public sealed class StageSchedule
{
    private readonly TimeSpan _share;
    private readonly TrainingBudget _budget;
    private readonly ValidationPlateau _plateau;

    public StageSchedule(TrainingOptions training, HyMiRecTrainingOptions extra, bool twoStages, TrainingBudget budget)
    {
        _budget = budget;
        _plateau = new ValidationPlateau(training);
        InStageOne = twoStages;
        Cap = !twoStages ? int.MaxValue : extra.StageOneEpochs ?? Math.Max(1, (int)Math.Ceiling(training.Epochs * extra.StageOneShare));
        _share = training.TimeBudget is { } limit && twoStages && extra.StageOneEpochs is null ? limit * extra.StageOneShare : TimeSpan.MaxValue;
    }

    /// <summary>Whether training is in Stage 1; validation there decides only when the stage ends, not which weights are kept.</summary>
    public bool InStageOne { get; private set; }

    /// <summary>The epoch after which Stage 1 ends at the latest.</summary>
    public int Cap { get; }

    /// <summary>Epochs Stage 1 ran (the epoch its share ended inside counts); null until it ends, or when it was skipped.</summary>
    public int? StageOneEpochs { get; private set; }

    /// <summary>Best Stage-1 validation so far.</summary>
    public double StageOneBest => _plateau.Best;

    /// <summary>Checked between batches, so the budget or Stage 1's share of it ends training inside a long epoch.</summary>
    public bool StopsBatches => _budget.Spent || OutOfShare;

    /// <summary>Stage 1 has used up its share of the time budget.</summary>
    public bool OutOfShare => InStageOne && _budget.Past(_share);

    public bool AtCap(int epoch) => InStageOne && epoch >= Cap;

    /// <summary>Records a Stage-1 validation; true when Stage 1 has reached its plateau.</summary>
    public bool StageOnePlateau(int epoch, double validation) => !_plateau.Improved(validation) && _plateau.Reached(epoch);

    /// <summary>Stage 2 starts after <paramref name="epoch"/> epochs (0 when a kept codebook skips Stage 1).</summary>
    public void StartStageTwo(int epoch)
    {
        InStageOne = false;
        StageOneEpochs = epoch > 0 ? epoch : null;
    }
}
