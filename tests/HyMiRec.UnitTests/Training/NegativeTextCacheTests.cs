using HyMiRec.Model.Interests;
using HyMiRec.Model.Losses;
using HyMiRec.Training.Training;
using static TorchSharp.torch;

namespace HyMiRec.UnitTests.Training;

/// <summary>
/// Large catalogs' negatives take their text from a cache (<see cref="NegativeTextCache"/>): with a cache of the
/// current weights every row equals the full table's, live rows ignore the cache, and the rest read it.
/// </summary>
public sealed class NegativeTextCacheTests
{
    private const int Items = 50;
    private const int Vocabulary = 20;

    /// <summary>Which of the subset's ids (0, 2, 4, 9, 17, 23, 31, 44) a step reads or predicts; the rest are negatives only.</summary>
    private static readonly bool[] LiveRows = [true, false, true, true, true, true, false, false];

    private static readonly HyMiRecOptions Small = TrainerScaleTests.Small;

    [Fact]
    public void Rows_with_a_fresh_cache_equal_the_full_table_and_only_negatives_read_the_cache()
    {
        manual_seed(5);
        using var network = new HyMiRecNetwork(Small, Items, Vocabulary);
        using var scope = NewDisposeScope();
        var tokens = randint(1, Vocabulary, [Items + 1, Small.MaxTextTokens]); // [N+1, T]
        tokens[0] = zeros(Small.MaxTextTokens, dtype: ScalarType.Int64);
        using (no_grad())
        {
            // A zero projection hides the text tower at initialisation; give it weight so the test sees text.
            foreach (var (_, parameter) in network.named_parameters().Where(p => p.name.Contains("project")))
            {
                parameter.normal_(0, 0.5);
            }
        }

        using var cache = new NegativeTextCache(refreshSteps: 2);
        var (text, mean) = cache.ForStep(network, tokens); // computed in eval mode; Dropout is 0 anyway
        network.eval();
        var full = network.ItemTable(tokens); // [N+1, D]

        var items = tensor(new long[] { 0, 4, 9, 17 }).view(1, 4); // [B, T]
        var targets = tensor(new long[] { 23, 4 }).view(1, 1, 2); // [B, K, w]
        var negatives = tensor(new long[] { 31, 9, 44, 2 }); // [K]
        var subset = ItemSubset.Create(items, targets, negatives); // ids 0, 2, 4, 9, 17, 23, 31, 44
        var live = bincount(cat([subset.Local[0].reshape(-1), subset.Local[1].reshape(-1)], 0), minlength: subset.Ids.shape[0]).ne(0); // [U]
        Assert.Equal(LiveRows, live.data<bool>().ToArray());

        var liveTokens = tokens.index_select(0, subset.Ids.masked_select(live));
        var rows = network.ItemRowsWithCachedText(liveTokens, subset.Ids, live, text, mean); // [U, D]
        Assert.True(rows.allclose(full.index_select(0, subset.Ids), rtol: 1e-4, atol: 1e-5), "rows with a fresh cache differ from the full table");

        // The rows the loss scores take all their text from the cache: with a fresh one they are the full table's too.
        var candidates = network.ItemCachedRows(subset.Ids, text, mean); // [U, D]
        Assert.True(candidates.allclose(full.index_select(0, subset.Ids), rtol: 1e-4, atol: 1e-5), "cached rows differ from the full table");

        // A stale cache changes the rows that are not live only.
        var stale = text + 1.0f;
        var moved = network.ItemRowsWithCachedText(liveTokens, subset.Ids, live, stale, mean) - rows; // [U, D]
        var changed = moved.abs().amax(1).gt(1e-3); // [U]
        Assert.Equal(LiveRows.Select(l => !l), changed.data<bool>().ToArray());

        // The live rows carry the text encoder's gradient; the cache carries none.
        rows.sum().backward();
        var textGradient = network.named_parameters().Where(p => p.name.Contains("project")).Sum(p => p.parameter.grad?.abs().sum().item<float>() ?? 0);
        Assert.True(textGradient > 0, "no gradient reached the text encoder through the live rows");
        Assert.False(text.requires_grad);
    }

    [Fact]
    public void The_cache_is_recomputed_every_refresh_steps()
    {
        manual_seed(6);
        using var network = new HyMiRecNetwork(Small, Items, Vocabulary);
        using var scope = NewDisposeScope();
        var tokens = randint(1, Vocabulary, [Items + 1, Small.MaxTextTokens]);
        using var cache = new NegativeTextCache(refreshSteps: 3);
        for (var step = 0; step < 7; step++)
        {
            cache.ForStep(network, tokens);
        }

        Assert.Equal(3, cache.Refreshes); // steps 0, 3 and 6
    }
}
