namespace HyMiRec.Training.Training;

/// <summary>
/// The wall clock of one training run, read from <see cref="TrainingOptions.Clock"/> so that tests can move it, and
/// the run's <see cref="TrainingOptions.TimeBudget"/>.
/// </summary>
public sealed class TrainingBudget(TrainingOptions training)
{
    private readonly TimeProvider _clock = training.Clock;
    private readonly long _start = training.Clock.GetTimestamp();

    public TimeSpan Limit { get; } = training.TimeBudget ?? TimeSpan.MaxValue;

    public TimeSpan Elapsed => _clock.GetElapsedTime(_start);

    public bool Spent => Elapsed > Limit;

    public bool Past(TimeSpan mark) => Elapsed > mark;
}
