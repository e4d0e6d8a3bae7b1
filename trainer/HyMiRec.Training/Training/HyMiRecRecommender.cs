using HyMiRec.Model.Data;
using HyMiRec.Model.Interests;
using HyMiRec.Model.Losses;
using HyMiRec.Model.Metrics;
using HyMiRec.Model.Optimization;
using HyMiRec.Model.Pretrained;
using HyMiRec.Model.Serving;
using HyMiRec.Model.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace HyMiRec.Training.Training;

/// <summary>
/// Trains HyMiRec in the paper's two stages. Stage 1: item tower (text + id) and both recommenders end to end with
/// DMIL, the long history read from raw item embeddings. Then the cosine residual codebook is built from the
/// Stage-1 item embeddings; Stage 2 goes on training with the long history rebuilt from codes, as serving sees it.
/// The weights of the best validation NDCG@10 in the final stage are kept.
/// </summary>
public sealed class HyMiRecRecommender(string name, HyMiRecOptions options, TrainingOptions training, HyMiRecTrainingOptions extra)
    : IRecommender, IDisposable
{
    private const int ScoreChunk = 32;

    private readonly HyMiRecBatchLoss _batchLoss = new(options, extra, training.NegativeSampling, CosineTemperature(training));
    private HyMiRecNetwork? _network;
    private CatalogTokenizer? _tokenizer;
    private InterestModelStore.TextModelStamp? _textModel;
    private Tensor? _tokens; // catalog token ids [N+1, T], or pretrained text features [N+1, H]
    private CodebookStage? _stage; // from the end of Stage 1 on
    private Tensor? _scoreTable; // the full item table of the current weights, for Score; null after any weight change
    private NegativeTextCache? _negativeText; // large catalogs with text: the negatives' text summaries

    public string Name => name;

    /// <summary>The architecture and its training-time settings (the artifact keeps what serving needs).</summary>
    public HyMiRecOptions Options => options;

    public TrainingOptions Training => training;

    /// <summary>HyMiRec's own losses and step settings (<see cref="HyMiRecTrainingOptions"/>).</summary>
    public HyMiRecTrainingOptions Extra => extra;

    public long ParameterCount => _network?.parameters().Sum(p => p.numel()) ?? 0;

    public HyMiRecNetwork Network => _network ?? throw new InvalidOperationException($"{name} is not fitted");

    /// <summary>Start from a published version's weights and tokenizer instead of a fresh network.</summary>
    public WarmStart? WarmStart { get; init; }

    /// <summary>
    /// Stage 2 only: keep the warm start's codebook and Stage-1 item embeddings (items new to the catalog get theirs
    /// from the warm-started item tower), so stored user codes stay valid. Needs <see cref="WarmStart"/>.
    /// </summary>
    public bool KeepCodebook { get; init; }

    /// <summary>
    /// The opened LLaMA checkpoint whose frozen features are the item text (needed with <see cref="TextSource.Pretrained"/>);
    /// callers that already checked its fingerprint pass the same instance, so the weights are hashed once.
    /// </summary>
    public LlamaCheckpoint? TextCheckpoint { get; init; }

    /// <summary>Epochs the last <see cref="Fit"/> ran (early stopping and time budgets end it before the setting).</summary>
    public int EpochsRun { get; private set; }

    /// <summary>
    /// Epochs of the last <see cref="Fit"/> in Stage 1, counting the epoch a time share ended inside; null when it kept a
    /// warm start's codebook or has none.
    /// </summary>
    public int? StageOneEpochsRun { get; private set; }

    /// <summary>Whether the last <see cref="Fit"/> ended because its time budget ran out (possibly inside an epoch).</summary>
    public bool StoppedByBudget { get; private set; }

    /// <summary>
    /// Validation NDCG@10 of the weights the last <see cref="Fit"/> kept (the best final-stage evaluation), or null when
    /// no final-stage evaluation ran and the last weights were kept. Model selection reads this instead of evaluating
    /// again, so it judges exactly the weights that are saved, on the validation users only.
    /// </summary>
    public double? BestValidation { get; private set; }

    /// <summary>Training sequences of the last <see cref="Fit"/>.</summary>
    public int TrainingSequences { get; private set; }

    public void Fit(LeaveOneOutSplit split, ITrainingReporter reporter)
    {
        training.Validate();
        extra.Validate(options);

        manual_seed(training.Seed);
        var random = new Random(training.Seed);
        var generator = new Generator((ulong)training.Seed);
        var dataset = split.Dataset;
        Dispose();
        (_tokens, _tokenizer, _textModel) = ItemTextInput.Load(Name, dataset, options, extra.TextFeatureBatch, WarmStart, TextCheckpoint, reporter);

        _network = new HyMiRecNetwork(options, dataset.ItemCount, _tokenizer?.VocabularySize ?? 0);
        if (WarmStart is { } warm)
        {
            var (whole, byItem, fresh) = warm.Apply(_network, dataset);
            reporter.Message(Name, $"warm start: {whole} tensors copied, {byItem} item tables copied by item id, {fresh} left fresh");
        }

        var negatives = dataset.ItemCount <= extra.FullSoftmaxUpTo ? dataset.ItemCount : training.Negatives;
        var loss = new DmilLoss(dataset.ItemCount, negatives, CosineTemperature(training), options.Matching, extra.MergedNextItemWeight);
        using var optimizer = new AdamWOptimizer(_network.parameters(), training.LearningRate, 0.9, 0.98, weightDecay: training.WeightDecay);
        _negativeText?.Dispose();
        _negativeText = !loss.IsFullSoftmax && dataset.ItemCount > extra.SubsetAboveItems && options.UseText && extra.NegativeTextRefreshSteps > 0
            ? new NegativeTextCache(extra.NegativeTextRefreshSteps)
            : null;
        var sequences = split.Train.Where(s => s.Length >= 2).ToArray();
        TrainingSequences = sequences.Length;
        EpochsRun = 0;
        StageOneEpochsRun = null;
        BestValidation = null;
        var text = !options.UseText ? "text encoder off"
            : _tokenizer is null ? $"pretrained text {options.PretrainedTextWidth}" : $"vocabulary {_tokenizer.VocabularySize}";
        reporter.Message(Name, $"{sequences.Length} training sequences, {ParameterCount:N0} parameters, {text}, " +
            $"s={options.RefinedQueries} w={options.TargetWindow} c={options.CoarseQueries} n={options.RecentWindow}, {extra.CutsPerSequence} cuts per sequence, " +
            (loss.IsFullSoftmax ? "full softmax" : $"{negatives} sampled negatives per " + (training.NegativeSampling == NegativeSampling.Sequence ? "sequence" : "batch")) +
            (_negativeText is null ? string.Empty : $" (their text cached, refreshed every {extra.NegativeTextRefreshSteps} steps)") +
            $", merged next-item weight {extra.MergedNextItemWeight}" +
            (extra.PositionNextItemWeight > 0 ? $", per-position next-item weight {extra.PositionNextItemWeight}" : string.Empty) +
            (extra.CoarseNextItemWeight > 0 ? $", coarse next-item weight {extra.CoarseNextItemWeight}" : string.Empty) +
            (extra.CoarseNextItemPositions > 0 ? $" on {extra.CoarseNextItemPositions} positions per sequence" : string.Empty) +
            (extra.HistoryCrops ? $", random {extra.SequenceLength}-item crops of longer sequences" : string.Empty) +
            (extra.Scoring == InterestScoring.Interests ? string.Empty : $", scored by {extra.Scoring}"));

        if (KeepCodebook)
        {
            UseWarmCodebook(dataset, reporter);
        }

        // Stage 2's validations (or those of a model without a codebook) pick the weights.
        using var selection = new WeightSelection(this, _network, split, training);
        var budget = new TrainingBudget(training);
        var schedule = new StageSchedule(training, extra, options.UseCodebook, budget);
        if (KeepCodebook)
        {
            schedule.StartStageTwo(0);
        }

        // Averaged only where validation picks the weights: Stage 1 hands its last weights to the codebook and Stage 2.
        using var average = WeightAverage.Start(_network, training, sequences.Length, reporter, Name, options.UseCodebook ? " in Stage 2" : string.Empty);
        WeightAverage? Picking() => schedule.InStageOne ? null : average;

        StoppedByBudget = false;
        for (var epoch = 1; epoch <= training.Epochs; epoch++)
        {
            var (epochLoss, done, total) = TrainEpoch(sequences, loss, optimizer, Picking(), generator, random, () => schedule.StopsBatches);
            EpochsRun = epoch;
            var outOfTime = budget.Spent;
            var endStageOne = schedule.AtCap(epoch) || schedule.OutOfShare;
            if (done < total)
            {
                reporter.Message(Name, $"{(outOfTime ? "time budget" : "Stage 1 time share")} reached inside epoch {epoch} after {done} of {total} batches");
            }
            else if (schedule.AtCap(epoch))
            {
                reporter.Message(Name, $"Stage 1 ends at its cap of {schedule.Cap} epochs");
            }

            // Not on Stage 1's last epoch alone: that score would decide nothing.
            double? validation = null;
            var plateau = false;
            if (epoch % training.EvaluateEvery == 0 || epoch == training.Epochs || outOfTime)
            {
                if (schedule.InStageOne)
                {
                    validation = selection.Validate(epoch, reporter);
                    if (!endStageOne && schedule.StageOnePlateau(epoch, validation.Value))
                    {
                        endStageOne = true;
                        reporter.Message(Name, $"Stage 1 ends on its validation plateau at epoch {epoch} (best val ndcg@10 {schedule.StageOneBest:F4})");
                    }
                }
                else
                {
                    (validation, plateau) = selection.Judge(average, epoch, reporter);
                }
            }

            reporter.Epoch(Name, epoch, training.Epochs, epochLoss, validation, budget.Elapsed);
            if (plateau)
            {
                reporter.Message(Name, selection.EarlyStop(epoch));
                break;
            }

            // A validation takes about as long as an epoch; one that used up the budget or Stage 1's share ends the run
            // or the stage here, rather than in an epoch of no batches that validates the same weights again.
            if (validation is not null)
            {
                outOfTime |= budget.Spent;
                endStageOne |= schedule.OutOfShare;
            }

            if (endStageOne)
            {
                BuildCodebook(reporter);
                schedule.StartStageTwo(epoch);
                average?.Reset();
            }

            if (outOfTime)
            {
                StoppedByBudget = true;
                reporter.Message(Name, selection.BudgetStop(epoch));
                break;
            }
        }

        if (schedule.InStageOne)
        {
            BuildCodebook(reporter);
            schedule.StartStageTwo(EpochsRun);
        }

        StageOneEpochsRun = schedule.StageOneEpochs;
        selection.Restore();
        BestValidation = selection.Best;
        ForgetTable();
        _negativeText?.Dispose();
        _negativeText = null;
    }

    public Tensor Score(IReadOnlyList<int[]> inputs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        // Attention cost grows with the square of the padded length, so users are scored in chunks of similar
        // history length instead of padding everyone to the longest history of the batch.
        var order = Enumerable.Range(0, inputs.Count).OrderBy(i => HistoryWindow.Length(inputs[i].Length, options.MaxHistory)).ToArray();
        var network = Network;
        network.eval();
        var table = FullTable(); // [N+1, D], once per model version for all batches and chunks
        var parts = new List<Tensor>();
        for (var start = 0; start < order.Length; start += ScoreChunk)
        {
            var chunk = order[start..Math.Min(order.Length, start + ScoreChunk)].Select(i => inputs[i]).ToArray();
            parts.Add(MultiInterestScorer.Score(Interests(network, table, chunk), table)); // [b, N+1]
        }

        var sorted = cat(parts, 0); // [B, N+1] in length order
        var inverse = new long[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            inverse[order[i]] = i;
        }

        return sorted.index_select(0, tensor(inverse)).MoveToOuterDisposeScope(); // [B, N+1]
    }

    /// <summary>
    /// The vectors that rank items after each input sequence (the refined interests [B, s, D] unless
    /// <see cref="HyMiRecTrainingOptions.Scoring"/> says otherwise), and the item table [N + 1, D], in eval mode.
    /// </summary>
    public (Tensor Interests, Tensor Items) InterestsAndItems(IReadOnlyList<int[]> inputs)
    {
        var network = Network;
        network.eval();
        using var noGrad = no_grad();
        var table = network.ItemTable(_tokens!); // [N+1, D]
        return (Interests(network, table, inputs), table);
    }

    private Tensor Interests(HyMiRecNetwork network, Tensor table, IReadOnlyList<int[]> inputs)
    {
        var items = SequenceBatch.LeftPadded(inputs, options.MaxHistory); // [B, T]
        using var last = (items.shape[1] - 1).ToScalar();
        var cuts = full(items.shape[0], 1, last, dtype: ScalarType.Int64); // [B, 1]
        var withLast = extra.Scoring != InterestScoring.Interests;
        var (refined, sequence, _) = _batchLoss.Forward(Tables(network), table, items, cuts, items, withLast); // [B, 1, s, D], [B, T, D]
        if (!withLast)
        {
            return refined.squeeze(1); // [B, s, D]
        }

        var lastItem = sequence![.., ^1.., ..]; // [B, 1, D]: inputs are left-padded, so the last column is each user's newest item
        return extra.Scoring == InterestScoring.LastItem ? lastItem : cat([refined.squeeze(1), lastItem], 1); // [B, 1 or s + 1, D]
    }

    /// <summary>Writes the trained model as a serving artifact (see <see cref="InterestModelStore"/>).</summary>
    public ModelManifest SaveArtifact(string directory, InteractionDataset dataset, IReadOnlyDictionary<string, double> metrics)
    {
        var network = Network;
        if (_stage is null)
        {
            throw new InvalidOperationException($"{name} has no codebook (UseCodebook is off), so it cannot be served");
        }

        network.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var table = network.ItemTable(_tokens!);
        return InterestModelStore.Save(directory, new InterestModelStore.Contents(network, _tokenizer,
            new ItemCatalog(dataset.ItemIds, dataset.ItemTexts), table, _stage.StageOneTable, _stage.Codebook, dataset.Name, metrics, _textModel));
    }

    public void Dispose()
    {
        _network?.Dispose();
        _tokens?.Dispose();
        _stage?.Dispose();
        ForgetTable();
        _negativeText?.Dispose();
        (_network, _tokens, _stage, _negativeText) = (null, null, null, null);
        (_tokenizer, _textModel) = (null, null);
    }

    /// <summary>One pass over the shuffled sequences, stopping between batches once <paramref name="stop"/> says so.</summary>
    /// <returns>Mean loss, batches run and batches in the epoch.</returns>
    private (double? Loss, int Done, int Total) TrainEpoch(int[][] sequences, DmilLoss loss, AdamWOptimizer optimizer, WeightAverage? average,
        Generator generator, Random random, Func<bool> stop)
    {
        var network = Network;
        ForgetTable();
        network.train();
        var order = sequences.OrderBy(_ => random.Next()).Select(s => SequenceCrop.Take(s, extra.SequenceLength, extra.HistoryCrops, random)).ToArray();
        var batchCount = (order.Length + training.BatchSize - 1) / training.BatchSize;
        var total = 0.0;
        var batches = 0;
        for (var start = 0; start < order.Length; start += training.BatchSize)
        {
            if (stop())
            {
                break;
            }

            using var scope = NewDisposeScope();
            var batch = order[start..Math.Min(order.Length, start + training.BatchSize)];
            var items = SequenceBatch.LeftPadded(batch, extra.SequenceLength); // [B, T]
            var (cuts, targets) = CutSampler.Sample(items, extra.CutsPerSequence, options.TargetWindow, random); // [B, K], [B, K, w]
            var value = _batchLoss.Compute(Tables(network), loss, items, cuts, targets, generator);
            optimizer.ZeroGrad();
            value.backward();
            optimizer.Step();
            average?.Update();
            total += value.item<float>();
            batches++;
        }

        return (batches == 0 ? null : total / batches, batches, batchCount);
    }

    // HyMiRec always scores cosine logits: raw dot products (a null temperature) are a SASRec setting.
    private static double CosineTemperature(TrainingOptions training) => training.Temperature ?? TrainingOptions.DefaultTemperature;

    private HyMiRecBatchLoss.Tables Tables(HyMiRecNetwork network) => new(network, _tokens!, _stage?.HistoryTable, _negativeText);

    /// <summary>The full item table [N + 1, D] of the current weights, computed once and kept until they change.</summary>
    private Tensor FullTable()
    {
        if (_scoreTable is null)
        {
            using var noGrad = no_grad();
            var network = Network;
            network.eval();
            _scoreTable = network.ItemTable(_tokens!).detach().DetachFromDisposeScope(); // [N+1, D]
        }

        return _scoreTable;
    }

    private void ForgetTable()
    {
        _scoreTable?.Dispose();
        _scoreTable = null;
    }

    private void UseWarmCodebook(InteractionDataset dataset, ITrainingReporter reporter)
    {
        var warm = WarmStart ?? throw new InvalidOperationException("KeepCodebook needs a WarmStart to take the codebook from");
        if (!options.UseCodebook)
        {
            throw new InvalidOperationException("KeepCodebook needs a model that uses the codebook");
        }

        var (table, reused) = warm.StageOneTable(Network, _tokens!, dataset);
        _stage = CodebookStage.Kept(table, warm.LoadCodebook());
        var codebook = _stage.Codebook;
        reporter.Message(Name, $"stage 2 only: kept the {codebook.Kind} codebook {codebook.Layers}x{codebook.Codes}; " +
            $"{reused} items keep their Stage-1 embedding, {dataset.ItemCount - reused} new items take the warm item tower's");
    }

    private void BuildCodebook(ITrainingReporter reporter)
    {
        _stage = CodebookStage.Build(Network, _tokens!, options, training.Seed);
        var codebook = _stage.Codebook;
        reporter.Message(Name, $"stage 2: {codebook.Kind} codebook {codebook.Layers}x{codebook.Codes} built, mean cosine {_stage.MeanCosine:F3}, " +
            $"{codebook.BytesPerItem} bytes per history event");
    }
}
