using System.Diagnostics;
using HyMiRec.Model.Data;
using HyMiRec.Model.Losses;
using HyMiRec.Model.Modules;
using HyMiRec.Model.Optimization;
using HyMiRec.Trainer.Evaluation;
using static TorchSharp.torch;

namespace HyMiRec.Trainer.Training;

/// <summary>
/// Trains SASRec on next-item prediction at every position with (sampled) softmax, validates on the
/// leave-one-out validation targets and keeps the weights of the best validation NDCG@10.
/// </summary>
public sealed class SasRecRecommender(SasRecOptions modelOptions, TrainingOptions trainingOptions) : IRecommender, IDisposable
{
    private SasRecModel? _model;

    public string Name => "sasrec";

    public long ParameterCount => _model?.parameters().Sum(p => p.numel()) ?? 0;

    public SasRecModel Model => _model ?? throw new InvalidOperationException("SASRec is not fitted");

    public void Fit(LeaveOneOutSplit split, ITrainingReporter reporter)
    {
        manual_seed(trainingOptions.Seed);
        var random = new Random(trainingOptions.Seed);
        var generator = new Generator((ulong)trainingOptions.Seed);
        _model?.Dispose();
        _model = new SasRecModel(split.Dataset.ItemCount, modelOptions);
        var loss = new SampledSoftmaxLoss(split.Dataset.ItemCount, trainingOptions.Negatives, trainingOptions.Temperature);
        using var optimizer = new AdamWOptimizer(_model.parameters(), trainingOptions.LearningRate, 0.9, 0.98, weightDecay: trainingOptions.WeightDecay);
        var sequences = split.Train.Where(s => s.Length >= 2)
            .Select(s => s.Length > modelOptions.MaxLength + 1 ? s[^(modelOptions.MaxLength + 1)..] : s)
            .ToArray();
        reporter.Message(Name, $"{sequences.Length} training sequences, {ParameterCount:N0} parameters, " +
            (loss.IsFullSoftmax ? "full softmax" : $"sampled softmax with {trainingOptions.Negatives} negatives"));

        var best = double.NegativeInfinity;
        using var bestWeights = new BestWeights();
        var sinceBest = 0;
        var clock = Stopwatch.StartNew();
        for (var epoch = 1; epoch <= trainingOptions.Epochs; epoch++)
        {
            var epochLoss = TrainEpoch(sequences, loss, optimizer, generator, random);
            double? validation = null;
            var outOfTime = clock.Elapsed > (trainingOptions.TimeBudget ?? TimeSpan.MaxValue);
            if (epoch % trainingOptions.EvaluateEvery == 0 || epoch == trainingOptions.Epochs || outOfTime)
            {
                validation = Evaluator.Evaluate(this, split.Validation, excludeHistory: true)["ndcg@10"];
                if (validation > best)
                {
                    best = validation.Value;
                    sinceBest = 0;
                    bestWeights.Capture(_model);
                }
                else if (++sinceBest >= trainingOptions.Patience)
                {
                    reporter.Epoch(Name, epoch, trainingOptions.Epochs, epochLoss, validation, clock.Elapsed);
                    reporter.Message(Name, $"early stop at epoch {epoch}, best val ndcg@10 {best:F4}");
                    break;
                }
            }

            reporter.Epoch(Name, epoch, trainingOptions.Epochs, epochLoss, validation, clock.Elapsed);
            if (outOfTime)
            {
                reporter.Message(Name, $"time budget {trainingOptions.TimeBudget:g} reached at epoch {epoch}, best val ndcg@10 {best:F4}");
                break;
            }
        }

        bestWeights.Restore(_model);
    }

    public Tensor Score(IReadOnlyList<int[]> inputs) => ScoreWith(inputs, Model.ItemEmbeddings);

    public void Dispose() => _model?.Dispose();

    /// <summary>Scores against a replacement item table [N + 1, D] (e.g. codebook-decoded embeddings).</summary>
    public Tensor ScoreWith(IReadOnlyList<int[]> inputs, Tensor itemTable)
    {
        var model = Model;
        model.eval();
        using var _ = no_grad();
        var hidden = model.forward(SequenceBatch.LeftPadded(inputs, modelOptions.MaxLength))[.., -1, ..]; // [B, D]
        var items = itemTable; // [N + 1, D]
        if (trainingOptions.Temperature is not null)
        {
            hidden = nn.functional.normalize(hidden, dim: -1);
            items = nn.functional.normalize(items, dim: -1);
        }

        return hidden.matmul(items.t()); // [B, N + 1]
    }

    private double TrainEpoch(int[][] sequences, SampledSoftmaxLoss loss, AdamWOptimizer optimizer, Generator generator, Random random)
    {
        var model = Model;
        model.train();
        var order = Enumerable.Range(0, sequences.Length).OrderBy(_ => random.Next()).ToArray();
        double total = 0;
        var batches = 0;
        for (var start = 0; start < order.Length; start += trainingOptions.BatchSize)
        {
            using var scope = NewDisposeScope();
            var batch = order.Skip(start).Take(trainingOptions.BatchSize).Select(i => sequences[i]).ToArray();
            var (inputs, targets) = SequenceBatch.NextItemPairs(batch, modelOptions.MaxLength); // [B, L], [B, L]
            var hidden = model.forward(inputs); // [B, L, D]
            var positions = targets.flatten().nonzero().squeeze(1); // [M]
            var queries = hidden.reshape(-1, hidden.shape[2]).index_select(0, positions); // [M, D]
            var positives = targets.flatten().index_select(0, positions); // [M]
            optimizer.ZeroGrad();
            var value = loss.Compute(queries, positives, model.ItemEmbeddings, generator);
            value.backward();
            optimizer.Step();
            total += value.item<float>();
            batches++;
        }

        return total / Math.Max(1, batches);
    }
}
