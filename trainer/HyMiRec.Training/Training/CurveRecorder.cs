namespace HyMiRec.Training.Training;

/// <summary>
/// One epoch as a training loop reported it; <see cref="Validation"/> is null on epochs without a validation pass,
/// <see cref="Loss"/> on epochs in which no batch ran.
/// </summary>
public sealed record EpochPoint(int Epoch, double? Loss, double? Validation);

/// <summary>The epochs of one training run of one model.</summary>
public sealed record TrainingCurve(string Run, IReadOnlyList<EpochPoint> Epochs);

/// <summary>
/// Passes every report on unchanged and keeps the per-epoch loss and validation NDCG@10, so commands can plot them
/// after training without the training loops knowing about plots.
/// </summary>
public sealed class CurveRecorder(ITrainingReporter inner) : ITrainingReporter
{
    private readonly List<(string Model, List<EpochPoint> Epochs)> _runs = [];

    /// <summary>
    /// Runs in the order they started. A model trained more than once (one run per seed) is named "model #2", ...
    /// from its second run on.
    /// </summary>
    public IReadOnlyList<TrainingCurve> Curves => [.. _runs.Select((run, i) =>
    {
        var ordinal = _runs.Take(i + 1).Count(r => r.Model == run.Model);
        return new TrainingCurve(ordinal == 1 ? run.Model : $"{run.Model} #{ordinal}", run.Epochs);
    })];

    public void Epoch(string model, int epoch, int epochs, double? loss, double? validation, TimeSpan elapsed)
    {
        inner.Epoch(model, epoch, epochs, loss, validation, elapsed);

        // Epochs only count up within a run, so an epoch number that does not is the start of the model's next run.
        var last = _runs.FindLast(r => r.Model == model);
        if (last.Epochs is null || epoch <= last.Epochs[^1].Epoch)
        {
            last = (model, []);
            _runs.Add(last);
        }

        last.Epochs.Add(new EpochPoint(epoch, loss, validation));
    }

    public void Message(string model, string message) => inner.Message(model, message);
}
