using HyMiRec.Model.Data;
using HyMiRec.Model.Losses;
using HyMiRec.Model.Modules;
using HyMiRec.Model.Optimization;
using static TorchSharp.torch;

namespace HyMiRec.Training.Training;

/// <summary>
/// Trains SASRec on next-item prediction at every position with (sampled) softmax, validates on the
/// leave-one-out validation targets and keeps the weights of the best validation NDCG@10 (with
/// <see cref="TrainingOptions.AverageEpochs"/>, their moving average is what is validated and kept).
/// </summary>
public sealed class SasRecRecommender(SasRecOptions modelOptions, TrainingOptions trainingOptions) : IRecommender, IDisposable
{
    private SasRecModel? _model;

    public string Name => "sasrec";

    public SasRecOptions ModelOptions => modelOptions;

    public TrainingOptions TrainingOptions => trainingOptions;

    public long ParameterCount => _model?.parameters().Sum(p => p.numel()) ?? 0;

    /// <summary>Epochs the last <see cref="Fit"/> ran.</summary>
    public int EpochsRun { get; private set; }

    /// <summary>Whether the last <see cref="Fit"/> ended because its time budget ran out (possibly inside an epoch).</summary>
    public bool StoppedByBudget { get; private set; }

    public SasRecModel Model => _model ?? throw new InvalidOperationException("SASRec is not fitted");

    public void Fit(LeaveOneOutSplit split, ITrainingReporter reporter)
    {
        trainingOptions.Validate();
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
            (loss.IsFullSoftmax ? "full softmax" : $"sampled softmax with {trainingOptions.Negatives} uniform negatives per " +
                (trainingOptions.NegativeSampling == NegativeSampling.Sequence ? "sequence" : "batch")));

        using var average = WeightAverage.Start(_model, trainingOptions, sequences.Length, reporter, Name);
        using var selection = new WeightSelection(this, _model, split, trainingOptions);
        var budget = new TrainingBudget(trainingOptions);
        StoppedByBudget = false;
        for (var epoch = 1; epoch <= trainingOptions.Epochs; epoch++)
        {
            var (epochLoss, done, total) = TrainEpoch(sequences, loss, optimizer, average, generator, random, () => budget.Spent);
            EpochsRun = epoch;
            double? validation = null;
            var plateau = false;
            var outOfTime = budget.Spent;
            if (done < total)
            {
                reporter.Message(Name, $"time budget reached inside epoch {epoch} after {done} of {total} batches");
            }

            if (epoch % trainingOptions.EvaluateEvery == 0 || epoch == trainingOptions.Epochs || outOfTime)
            {
                (validation, plateau) = selection.Judge(average, epoch, reporter);
            }

            reporter.Epoch(Name, epoch, trainingOptions.Epochs, epochLoss, validation, budget.Elapsed);
            if (plateau)
            {
                reporter.Message(Name, selection.EarlyStop(epoch));
                break;
            }

            // A validation takes about as long as an epoch; one that used up the budget ends the run here, rather than
            // in an epoch of no batches that validates the same weights again.
            outOfTime |= validation is not null && budget.Spent;
            if (outOfTime)
            {
                StoppedByBudget = true;
                reporter.Message(Name, selection.BudgetStop(epoch));
                break;
            }
        }

        selection.Restore();
    }

    public Tensor Score(IReadOnlyList<int[]> inputs) => ScoreWith(inputs, Model.ItemEmbeddings);

    public void Dispose() => _model?.Dispose();

    /// <summary>Scores against a replacement item table [N + 1, D] (e.g. codebook-decoded embeddings).</summary>
    public Tensor ScoreWith(IReadOnlyList<int[]> inputs, Tensor itemTable)
    {
        var model = Model;
        model.eval();
        using var _ = no_grad();
        var hidden = model.forward(SequenceBatch.LeftPadded(inputs, modelOptions.ScoreLength))[.., -1, ..]; // [B, D]
        var items = itemTable; // [N + 1, D]
        if (trainingOptions.Temperature is not null)
        {
            hidden = nn.functional.normalize(hidden, dim: -1);
            items = nn.functional.normalize(items, dim: -1);
        }

        return hidden.matmul(items.t()); // [B, N + 1]
    }

    /// <summary>One pass over the shuffled sequences, stopping between batches once <paramref name="stop"/> says so.</summary>
    /// <returns>Mean loss, batches run and batches in the epoch.</returns>
    private (double? Loss, int Done, int Total) TrainEpoch(int[][] sequences, SampledSoftmaxLoss loss, AdamWOptimizer optimizer,
        WeightAverage? average, Generator generator, Random random, Func<bool> stop)
    {
        var model = Model;
        model.train();
        var order = Enumerable.Range(0, sequences.Length).OrderBy(_ => random.Next()).ToArray();
        var batchCount = (order.Length + trainingOptions.BatchSize - 1) / trainingOptions.BatchSize;
        double total = 0;
        var batches = 0;
        for (var start = 0; start < order.Length; start += trainingOptions.BatchSize)
        {
            if (stop())
            {
                break;
            }

            using var scope = NewDisposeScope();
            var batch = order.Skip(start).Take(trainingOptions.BatchSize).Select(i => sequences[i]).ToArray();
            var (inputs, targets) = SequenceBatch.NextItemPairs(batch, modelOptions.MaxLength); // [B, L], [B, L]
            var hidden = model.forward(inputs); // [B, L, D]
            optimizer.ZeroGrad();
            var value = StepLoss(loss, hidden, targets, generator);
            value.backward();
            optimizer.Step();
            average?.Update();
            total += value.item<float>();
            batches++;
        }

        return (batches == 0 ? null : total / batches, batches, batchCount);
    }

    /// <summary>
    /// Next-item loss at every position that has a target. Sampled softmax touches only the positives' and negatives'
    /// rows of the item table (O(batch), not O(catalog)); the full softmax (negatives &gt;= catalog) scores every item.
    /// </summary>
    /// <param name="hidden">[B, L, D]</param>
    /// <param name="targets">[B, L], 0 where there is no target.</param>
    private Tensor StepLoss(SampledSoftmaxLoss loss, Tensor hidden, Tensor targets, Generator generator)
    {
        var items = Model.ItemEmbeddings; // [N+1, D]
        if (loss.IsFullSoftmax)
        {
            var positions = targets.flatten().nonzero().squeeze(1); // [M]
            var queries = hidden.reshape(-1, hidden.shape[2]).index_select(0, positions); // [M, D]
            return loss.Compute(queries, targets.flatten().index_select(0, positions), items, generator);
        }

        if (trainingOptions.NegativeSampling == NegativeSampling.Sequence)
        {
            var negatives = loss.SampleNegatives(generator, hidden.shape[0], hidden.device); // [B, K]
            return loss.ComputeGrouped(hidden, targets, items, negatives);
        }

        var shared = loss.SampleNegatives(generator, 1, hidden.device); // [1, K]
        return loss.ComputeGrouped(hidden.reshape(1, -1, hidden.shape[2]), targets.reshape(1, -1), items, shared); // [1, B*L, D]
    }
}
