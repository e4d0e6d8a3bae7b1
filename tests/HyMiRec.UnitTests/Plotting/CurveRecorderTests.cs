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
}
