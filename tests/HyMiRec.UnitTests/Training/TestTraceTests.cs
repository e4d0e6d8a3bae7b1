using System.Globalization;
using HyMiRec.Model.Data;
using HyMiRec.Model.Modules;
using HyMiRec.Training.Evaluation;
using HyMiRec.Training.Training;

namespace HyMiRec.UnitTests.Training;

/// <summary>--trace-test logs the test figures beside each validation and changes nothing that training decides.</summary>
public sealed class TestTraceTests
{
    private static readonly LeaveOneOutSplit Split = TinyTraining.Split;

    private static readonly TrainingOptions Training = new() { Epochs = 4, BatchSize = 16, Negatives = 16, EvaluateEvery = 1, Patience = 5, Seed = 11 };

    [Fact]
    public void SasRec_traced_trains_the_same_weights_and_its_best_epoch_trace_is_the_final_test_figure()
    {
        var options = new SasRecOptions { Dimension = 16, Blocks = 1, MaxLength = 20 };
        var (plain, _) = Run(() => new SasRecRecommender(options, Training));
        var (traced, log) = Run(() => new SasRecRecommender(options, Training with { TraceTest = true }));

        Assert.Equal(plain.Scores, traced.Scores);
        Assert.Equal(plain.Test, traced.Test);
        Assert.Equal(log.Validations.Count, log.Traces.Count);

        // The kept weights are those of the best validation, so the trace of that epoch is the test figure reported.
        var best = log.Validations.Select((v, i) => (v, i)).MaxBy(x => x.v).i;
        Assert.Equal(traced.Test["ndcg@10"].ToString("F4", CultureInfo.InvariantCulture), log.Traces[best]);
    }

    [Fact]
    public void HyMiRec_traced_trains_the_same_weights_and_logs_a_trace_per_validation()
    {
        var model = TinyTraining.HyMiRec;
        var extra = new HyMiRecTrainingOptions { SequenceLength = 20, CutsPerSequence = 4 };
        var (plain, quiet) = Run(() => new HyMiRecRecommender("hymirec", model, Training, extra));
        var (traced, log) = Run(() => new HyMiRecRecommender("hymirec", model, Training with { TraceTest = true }, extra));

        Assert.Equal(plain.Scores, traced.Scores);
        Assert.Equal(plain.Test, traced.Test);
        Assert.Empty(quiet.Traces);
        Assert.NotEmpty(log.Traces);
        Assert.Equal(log.Validations.Count, log.Traces.Count);
    }

    private static ((float[] Scores, Dictionary<string, double> Test), Recorder) Run(Func<IRecommender> create)
    {
        var recorder = new Recorder();
        var model = create();
        try
        {
            model.Fit(Split, recorder);
            using var scores = model.Score(Split.Test.Select(c => c.Input).ToArray());
            return ((scores.data<float>().ToArray(), Evaluator.Evaluate(model, Split.Test, excludeHistory: true)), recorder);
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

    private sealed class Recorder : ITrainingReporter
    {
        public List<double> Validations { get; } = [];

        /// <summary>The test NDCG@10 of each trace line, as printed.</summary>
        public List<string> Traces { get; } = [];

        public void Epoch(string model, int epoch, int epochs, double? loss, double? validation, TimeSpan elapsed)
        {
            if (validation is { } v)
            {
                Validations.Add(v);
            }
        }

        public void Message(string model, string message)
        {
            const string marker = "test ndcg@10 ";
            if (message.StartsWith("trace epoch", StringComparison.Ordinal))
            {
                var at = message.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
                Traces.Add(message[at..message.IndexOf(',', at)]);
            }
        }
    }
}
