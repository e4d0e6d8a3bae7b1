namespace HyMiRec.Training.Training;

/// <summary>
/// Early stopping's bookkeeping, one rule for every trainer: a plateau is <see cref="TrainingOptions.Patience"/>
/// validations without a new best, and never before <see cref="TrainingOptions.MinEpochs"/>, so a flat start does not
/// end training before it takes off.
/// </summary>
public sealed class ValidationPlateau(TrainingOptions training)
{
    private int _sinceBest;

    /// <summary>Best validation so far; negative infinity before the first.</summary>
    public double Best { get; private set; } = double.NegativeInfinity;

    public bool HasBest => Best > double.NegativeInfinity;

    /// <summary>Records a validation; true when it is a new best.</summary>
    public bool Improved(double validation)
    {
        if (validation > Best)
        {
            Best = validation;
            _sinceBest = 0;
            return true;
        }

        _sinceBest++;
        return false;
    }

    /// <summary>Whether training has reached its plateau after <paramref name="epoch"/> epochs.</summary>
    public bool Reached(int epoch) => _sinceBest >= training.Patience && epoch >= training.MinEpochs;
}
