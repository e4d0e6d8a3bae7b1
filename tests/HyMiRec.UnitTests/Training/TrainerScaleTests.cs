using HyMiRec.Model.Data;
using HyMiRec.Model.Interests;
using HyMiRec.Model.Losses;
using HyMiRec.Model.Modules;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Training;
using static TorchSharp.torch;

namespace HyMiRec.UnitTests.Training;

/// <summary>
/// Trainer scale (issue 17, item 5): a step's item embeddings computed for its own items only give the same rows and
/// losses as the full table; budgets stop inside an epoch; the large sparse generator has the promised shape.
/// Float comparisons use tolerances, never exact equality, so they hold whichever CPU kernels libtorch picks.
/// </summary>
public sealed class TrainerScaleTests
{
    private const int Items = 60;
    private const int Vocabulary = 20;

    internal static readonly HyMiRecOptions Small = new()
    {
        Dimension = 16, Heads = 2, Dropout = 0, CoarseQueries = 2, RefinedQueries = 2, RefinedBlocks = 1, RecentWindow = 3,
        TextBlocks = 1, MaxTextTokens = 5,
    };

    [Fact]
    public void Subset_remaps_every_id_to_its_row_and_keeps_padding_at_zero()
    {
        var items = tensor(new long[] { 0, 0, 7, 3, 0, 12, 7, 41 }).view(2, 4); // [B, T]
        var targets = tensor(new long[] { 3, 0, 55, 12 }).view(2, 1, 2); // [B, K, w]
        var negatives = tensor(new long[] { 9, 41, 9, 1 }); // [K]
        var subset = ItemSubset.Create(items, targets, negatives);
        Assert.Equal(new long[] { 0, 1, 3, 7, 9, 12, 41, 55 }, subset.Ids.data<long>().ToArray());
        for (var i = 0; i < 3; i++)
        {
            var original = new[] { items, targets, negatives }[i];
            Assert.Equal(original.shape, subset.Local[i].shape);
            Assert.Equal(original.reshape(-1).data<long>().ToArray(), subset.Ids.index_select(0, subset.Local[i].reshape(-1)).data<long>().ToArray());
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Item_rows_and_dmil_loss_on_a_subset_equal_those_of_the_full_table(bool text)
    {
        manual_seed(3);
        var options = Small with { UseText = text };
        using var network = new HyMiRecNetwork(options, Items, Vocabulary);
        network.eval();
        using var scope = NewDisposeScope();
        var tokens = randint(1, Vocabulary, [Items + 1, options.MaxTextTokens]); // [N+1, T]
        tokens[0] = zeros(options.MaxTextTokens, dtype: ScalarType.Int64);
        using (no_grad())
        {
            // A zero projection hides the text tower at initialisation; give it weight so the test sees text.
            foreach (var (name, parameter) in network.named_parameters().Where(p => p.name.Contains("project")))
            {
                parameter.normal_(0, 0.5);
            }
        }

        var full = network.ItemTable(tokens); // [N+1, D]
        var history = tensor(new long[] { 0, 0, 5, 9, 14, 2, 33, 47, 8, 9, 21, 59 }).view(2, 6); // [B, T]
        var targets = tensor(new long[] { 14, 2, 0, 0, 47, 8, 9, 21, 11, 0, 0, 0 }).view(4, 3); // [M, w]
        var negatives = tensor(new long[] { 3, 17, 59, 26, 40, 2, 17, 51 }); // [K]
        var subset = ItemSubset.Create(history, targets, negatives);

        // With the centre over the whole catalog the rows are exactly the full table's rows.
        var everyRow = ItemSubset.Create(history, targets, negatives, arange(1, Items + 1)); // + all items for the centre
        var centred = network.ItemRows(tokens.index_select(0, everyRow.Ids), everyRow.Ids, everyRow.Local[3]); // [U', D]
        Assert.True(centred.allclose(full.index_select(0, everyRow.Ids), rtol: 1e-4, atol: 1e-5), "subset rows differ from the full table");

        // The training path centres on the negatives' mean; without text there is nothing to centre and rows are equal.
        var rows = network.ItemRows(tokens.index_select(0, subset.Ids), subset.Ids, subset.Local[2]); // [U, D]
        var difference = rows - full.index_select(0, subset.Ids);
        if (!text)
        {
            Assert.True(difference.abs().max().item<float>() < 1e-5, "id-only rows differ from the full table");
        }
        else
        {
            // One shift shared by every non-padding row (the catalog mean minus the negatives' mean), zero for padding.
            var shift = difference[1..] - difference[1].unsqueeze(0);
            Assert.True(shift.abs().max().item<float>() < 1e-4, "text rows differ by more than a common centring shift");
            Assert.True(difference[0].abs().max().item<float>() < 1e-6, "padding row is not zero");
        }

        var interests = randn(4, options.RefinedQueries, options.Dimension); // [M, s, D]
        var loss = new DmilLoss(Items, negatives: 8, temperature: 0.1, InterestMatching.Hungarian);
        var expected = loss.Compute(interests, targets, full, negatives).item<float>();
        var everyTarget = everyRow.Local[1];
        var actual = loss.Compute(interests, everyTarget, centred, everyRow.Local[2]).item<float>();
        Assert.True(Math.Abs(expected - actual) < 1e-4 * Math.Max(1, Math.Abs(expected)), $"subset loss {actual} against full-table loss {expected}");
        if (!text)
        {
            var trainingPath = loss.Compute(interests, subset.Local[1], rows, subset.Local[2]).item<float>();
            Assert.True(Math.Abs(expected - trainingPath) < 1e-4 * Math.Max(1, Math.Abs(expected)), $"training-path loss {trainingPath} against {expected}");
        }

        // A wrong remapping must show: targets shifted by one row give another loss.
        var shifted = loss.Compute(interests, everyTarget.clamp_max(everyRow.Ids.shape[0] - 2) + targets.ne(0).to_type(ScalarType.Int64), centred, everyRow.Local[2]).item<float>();
        Assert.True(Math.Abs(shifted - expected) > 1e-3, "the comparison cannot tell a wrong remapping apart");
    }

    [Fact]
    public void Grouped_negatives_on_a_subset_equal_the_full_table_and_one_group_is_the_shared_form()
    {
        manual_seed(5);
        var table = randn(Items + 1, 8); // [N+1, D]
        var queries = randn(3, 4, 8); // [G, L, D]
        var positives = tensor(new long[] { 0, 4, 9, 9, 0, 0, 30, 2, 11, 12, 13, 59 }).view(3, 4); // [G, L], 0 = no target
        var negatives = randint(1, Items + 1, [3, 6]); // [G, K]
        var loss = new SampledSoftmaxLoss(Items, 6, temperature: 0.2);
        var expected = loss.ComputeGrouped(queries, positives, table, negatives).item<float>();
        var subset = ItemSubset.Create(positives, negatives);
        var actual = loss.ComputeGrouped(queries, subset.Local[0], table.index_select(0, subset.Ids), subset.Local[1]).item<float>();
        Assert.True(Math.Abs(expected - actual) < 1e-5 * Math.Max(1, Math.Abs(expected)), $"{actual} against {expected}");

        // Shared negatives through the grouped form = the per-query form over the positions with a target.
        var shared = negatives[0]; // [K]
        var valid = positives.reshape(-1).nonzero().squeeze(1);
        var flatQueries = queries.reshape(-1, 8).index_select(0, valid); // [M, D]
        var perQuery = loss.Compute(flatQueries, positives.reshape(-1).index_select(0, valid), table, shared).item<float>();
        var grouped = loss.ComputeGrouped(queries.reshape(1, -1, 8), positives.reshape(1, -1), table, shared.view(1, -1)).item<float>();
        Assert.True(Math.Abs(perQuery - grouped) < 1e-5 * Math.Max(1, Math.Abs(perQuery)), $"{grouped} against {perQuery}");
    }

    [Fact]
    public void A_budget_stops_sasrec_and_hymirec_inside_their_first_epoch()
    {
        // Batches of one sequence: an epoch is 400 steps, far longer than the zero budget.
        var split = LeaveOneOutSplit.Create(SyntheticDataset.Generate(new SyntheticOptions
        {
            Seed = 2, Users = 400, Topics = 4, ItemsPerTopic = 10, MinLength = 12, MaxLength = 20,
        }).Dataset);
        var training = new TrainingOptions { Epochs = 5, BatchSize = 1, Negatives = 8, EvaluateEvery = 1, TimeBudget = TimeSpan.Zero };

        var sasrecLog = new Log();
        using (var sasrec = new SasRecRecommender(new SasRecOptions { Dimension = 8, Blocks = 1, MaxLength = 20 }, training))
        {
            sasrec.Fit(split, sasrecLog);
            Assert.True(sasrec.StoppedByBudget);
            Assert.Equal(1, sasrec.EpochsRun);
        }

        Assert.Contains(sasrecLog.Messages, m => m.StartsWith("time budget reached inside epoch 1 after 0 of ", StringComparison.Ordinal));
        Assert.Single(sasrecLog.Epochs);

        var hymirecLog = new Log();
        using (var hymirec = new HyMiRecRecommender("hymirec", Small with { MaxTextTokens = 8, CodebookCodes = 8, CodebookLayers = 1 }, training,
            new HyMiRecTrainingOptions { SequenceLength = 20, CutsPerSequence = 2 }))
        {
            hymirec.Fit(split, hymirecLog);
            Assert.True(hymirec.StoppedByBudget);
            Assert.Equal(1, hymirec.EpochsRun);
        }

        Assert.Contains(hymirecLog.Messages, m => m.Contains("reached inside epoch 1 after 0 of ", StringComparison.Ordinal));
        Assert.Single(hymirecLog.Epochs);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void HyMiRec_trains_on_per_step_item_subsets_and_scores_the_full_catalog(int negativeTextRefreshSteps)
    {
        var split = LeaveOneOutSplit.Create(SyntheticDataset.Generate(new SyntheticOptions
        {
            Seed = 4, Users = 60, Topics = 4, ItemsPerTopic = 10, MinLength = 12, MaxLength = 20,
        }).Dataset);
        var training = new TrainingOptions { Epochs = 2, BatchSize = 16, Negatives = 8, EvaluateEvery = 1 };
        var log = new Log();
        using var model = new HyMiRecRecommender("hymirec", Small with { MaxTextTokens = 8, CodebookCodes = 8, CodebookLayers = 1 }, training,
            new HyMiRecTrainingOptions { SequenceLength = 20, CutsPerSequence = 2, SubsetAboveItems = 0, FullSoftmaxUpTo = 0, NegativeTextRefreshSteps = negativeTextRefreshSteps }); // subsets and sampled negatives even for 40 items
        model.Fit(split, log);
        Assert.Equal(negativeTextRefreshSteps > 0, log.Messages.Any(m => m.Contains($"text cached, refreshed every {negativeTextRefreshSteps} steps", StringComparison.Ordinal)));
        Assert.Equal(2, model.EpochsRun);
        Assert.False(model.StoppedByBudget);
        using var scores = model.Score(split.Test.Take(5).Select(c => c.Input).ToArray()); // [5, N+1]
        Assert.Equal(new long[] { 5, split.Dataset.ItemCount + 1 }, scores.shape);
        Assert.True(scores.isfinite().all().item<bool>(), "scores are not finite");
    }

    [Theory]
    [InlineData(8192, 8192)] // full softmax on the whole table
    [InlineData(8192, 0)] // sampled negatives on the whole table
    [InlineData(0, 0)] // per-step item subsets
    public void The_per_position_loss_adds_a_next_item_term_on_every_training_path(int subsetAboveItems, int fullSoftmaxUpTo)
    {
        var split = LeaveOneOutSplit.Create(SyntheticDataset.Generate(new SyntheticOptions
        {
            Seed = 4, Users = 60, Topics = 4, ItemsPerTopic = 10, MinLength = 12, MaxLength = 20,
        }).Dataset);
        var training = new TrainingOptions { Epochs = 1, BatchSize = 16, Negatives = 8, EvaluateEvery = 1 };
        double? FirstEpochLoss(double weight, Log log)
        {
            using var model = new HyMiRecRecommender("hymirec", Small with { MaxTextTokens = 8, CodebookCodes = 8, CodebookLayers = 1 }, training,
                new HyMiRecTrainingOptions
                {
                    SequenceLength = 20, CutsPerSequence = 2, SubsetAboveItems = subsetAboveItems, FullSoftmaxUpTo = fullSoftmaxUpTo,
                    PositionNextItemWeight = weight,
                });
            model.Fit(split, log);
            return log.Losses.Single();
        }

        var withPositions = new Log();
        var alone = FirstEpochLoss(0, new Log());
        var both = FirstEpochLoss(1, withPositions);

        Assert.Contains(withPositions.Messages, m => m.Contains("per-position next-item weight 1", StringComparison.Ordinal));
        Assert.True(double.IsFinite(both!.Value), $"loss {both}");

        // A softmax over at least 9 candidates starts near log 9 = 2.2 per position, far above what one epoch removes.
        Assert.True(both > alone + 1, $"with positions {both}, without {alone}");
    }

    [Theory]
    [InlineData(8192, 500)] // sampled negatives on the whole table
    [InlineData(0, 500)] // per-step item subsets, the negatives' text cached
    [InlineData(0, 0)] // per-step item subsets, text centred on the sampled negatives
    public void HyMiRec_draws_a_set_of_negatives_per_sequence_when_asked(int subsetAboveItems, int negativeTextRefreshSteps)
    {
        var split = LeaveOneOutSplit.Create(SyntheticDataset.Generate(new SyntheticOptions
        {
            Seed = 4, Users = 60, Topics = 4, ItemsPerTopic = 10, MinLength = 12, MaxLength = 20,
        }).Dataset);
        double FirstEpochLoss(NegativeSampling sampling, Log log)
        {
            var training = new TrainingOptions { Epochs = 1, BatchSize = 16, Negatives = 8, EvaluateEvery = 1, NegativeSampling = sampling };
            using var model = new HyMiRecRecommender("hymirec", Small with { MaxTextTokens = 8, CodebookCodes = 8, CodebookLayers = 1 }, training,
                new HyMiRecTrainingOptions
                {
                    SequenceLength = 20, CutsPerSequence = 2, SubsetAboveItems = subsetAboveItems, FullSoftmaxUpTo = 0,
                    NegativeTextRefreshSteps = negativeTextRefreshSteps,
                });
            model.Fit(split, log);
            return log.Losses.Single()!.Value;
        }

        var perSequence = new Log();
        var perBatch = new Log();
        var sequenceLoss = FirstEpochLoss(NegativeSampling.Sequence, perSequence);
        var batchLoss = FirstEpochLoss(NegativeSampling.Batch, perBatch);

        Assert.Contains(perSequence.Messages, m => m.Contains("8 sampled negatives per sequence", StringComparison.Ordinal));
        Assert.Contains(perBatch.Messages, m => m.Contains("8 sampled negatives per batch", StringComparison.Ordinal));
        Assert.True(double.IsFinite(sequenceLoss), $"loss {sequenceLoss}");

        // Same seed, weights and batches: only the negatives differ, and so must the loss.
        Assert.True(Math.Abs(sequenceLoss - batchLoss) > 1e-4, $"per sequence {sequenceLoss}, per batch {batchLoss}");
    }

    [Fact]
    public void Sparse_generator_gives_the_asked_size_short_histories_and_topic_structure()
    {
        var data = SyntheticDataset.Generate(SyntheticOptions.Sparse(users: 3000, items: 2000, seed: 9));
        var dataset = data.Dataset;
        Assert.Equal(3000, dataset.Users.Count);
        Assert.Equal(2000, dataset.ItemCount);
        var lengths = dataset.Users.Select(u => u.Items.Length).Order().ToArray();
        Assert.InRange(lengths[lengths.Length / 2], 4, 9); // median under 10
        Assert.True(lengths[0] >= 4 && lengths[^1] <= 14, $"lengths {lengths[0]}..{lengths[^1]}");

        // Learnable: the next item mostly stays in the current item's topic (chance: 1 in 20 topics).
        var pairs = dataset.Users.SelectMany(u => u.Items.Zip(u.Items.Skip(1))).ToArray();
        var same = pairs.Count(p => data.ItemTopic[p.First] == data.ItemTopic[p.Second]) / (double)pairs.Length;
        Assert.InRange(same, 0.7, 1.0);

        // Most of the catalog is used, and "sparse:UxI" reads the same generator.
        Assert.True(dataset.Users.SelectMany(u => u.Items).Distinct().Count() > 1500);
        Assert.True(DatasetSource.TrySparse("sparse:3000x2000", out var users, out var items) && users == 3000 && items == 2000);
        Assert.True(DatasetSource.TrySparse("sparse", out users, out items) && users == 100_000 && items == 50_000);
        Assert.False(DatasetSource.TrySparse("planted", out _, out _));
    }

    private sealed class Log : ITrainingReporter
    {
        public List<string> Messages { get; } = [];

        public List<int> Epochs { get; } = [];

        public List<double?> Losses { get; } = [];

        public void Epoch(string model, int epoch, int epochs, double? loss, double? validation, TimeSpan elapsed)
        {
            Epochs.Add(epoch);
            Losses.Add(loss);
        }

        public void Message(string model, string message) => Messages.Add(message);
    }
}
