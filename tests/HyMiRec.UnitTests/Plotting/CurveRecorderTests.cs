using HyMiRec.Training.Training;

namespace HyMiRec.UnitTests.Plotting;

public sealed class CurveRecorderTests
{
    [Fact]
    public void Keeps_each_run_apart_and_passes_every_report_on()
    {
        var log = new StringWriter();
        var recorder = new CurveRecorder(new ConsoleTrainingReporter(log));
        var elapsed = TimeSpan.FromSeconds(1);

        recorder.Epoch("sasrec", 1, 2, 0.9, null, elapsed);
        recorder.Epoch("sasrec", 2, 2, 0.7, 0.11, elapsed);
        recorder.Epoch("hymirec", 1, 1, 1.5, 0.05, elapsed);
        recorder.Message("seed", "2 (2 of 2)");
        recorder.Epoch("sasrec", 1, 2, 0.8, 0.09, elapsed); // the second seed's run starts over at epoch 1

        var curves = recorder.Curves;
        Assert.Equal(["sasrec", "hymirec", "sasrec #2"], curves.Select(c => c.Run));
        Assert.Equal([new EpochPoint(1, 0.9, null), new EpochPoint(2, 0.7, 0.11)], curves[0].Epochs);
        Assert.Equal([new EpochPoint(1, 0.8, 0.09)], curves[2].Epochs);
        Assert.Equal(5, log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void An_epoch_in_which_no_batch_ran_reports_no_loss_rather_than_zero()
    {
        var log = new StringWriter();
        var recorder = new CurveRecorder(new ConsoleTrainingReporter(log));

        recorder.Epoch("hymirec", 1, 3, 1.25, null, TimeSpan.FromSeconds(1));
        recorder.Epoch("hymirec", 2, 3, null, 0.04, TimeSpan.FromSeconds(2)); // a budget ended it before its first batch

        Assert.Equal([new EpochPoint(1, 1.25, null), new EpochPoint(2, null, 0.04)], recorder.Curves[0].Epochs);
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("loss 1.2500", lines[0], StringComparison.Ordinal);
        Assert.Contains("loss -", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("loss 0.0000", lines[1], StringComparison.Ordinal);
    }
}
