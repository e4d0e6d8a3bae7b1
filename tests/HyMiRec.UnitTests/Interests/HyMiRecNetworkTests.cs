using HyMiRec.Model.Interests;
using static TorchSharp.torch;

namespace HyMiRec.UnitTests.Interests;

public sealed class HyMiRecNetworkTests
{
    private static readonly HyMiRecOptions Small = new()
    {
        Dimension = 16, Heads = 2, Dropout = 0, CoarseQueries = 3, RefinedQueries = 2, RefinedBlocks = 2,
        RecentWindow = 3, TextBlocks = 1, MaxTextTokens = 4,
    };

    [Theory]
    [InlineData(0, false, false)]
    [InlineData(6, false, false)] // the queries read further back than the item tokens' window of 3
    [InlineData(0, true, false)] // the coarse queries read up to the cut itself
    [InlineData(0, false, true)] // the coarse state joins the prefix; the cut at 4 reads only padding there
    [InlineData(0, true, true)]
    public void Interests_of_many_cut_points_in_one_pass_equal_serving_each_prefix_alone(int queryWindow, bool coarseReadsRecent, bool stateToken)
    {
        using var noGrad = no_grad();
        var options = Small with { QueryWindow = queryWindow, CoarseReadsRecent = coarseReadsRecent, CoarseStateToken = stateToken };
        var (network, table) = EvalNetwork(11, options);
        using var owned = network;
        long[] sequence = [0, 0, 4, 9, 17, 3, 22, 8, 5, 11, 29, 2, 7, 14];
        long[] cutPoints = [13, 4, 8, 10];
        var items = tensor(sequence).view(1, -1);
        var cuts = tensor(cutPoints).view(1, -1);
        var (denseCoarse, dense) = Forward(network, table, items, cuts);

        for (var k = 0; k < cutPoints.Length; k++)
        {
            // Serving input: the whole prefix as long history, the last RecentLength items as recent items.
            var prefix = sequence[..((int)cutPoints[k] + 1)];
            var recent = prefix[Math.Max(0, prefix.Length - options.RecentLength)..];
            var history = tensor(prefix).view(1, -1);
            var recentItems = tensor(recent).view(1, -1);
            var (coarse, refined) = network.Interests(
                Embed(table, history), history.ne(0), tensor(new long[] { prefix.Length - 1 - options.CoarseLag }).view(1, 1),
                Embed(table, recentItems), recentItems.ne(0), tensor(new long[] { recent.Length - 1 }).view(1, 1));
            Assert.True(dense[0, k].allclose(refined[0, 0], atol: 1e-4), $"refined interests differ at cut {cutPoints[k]}");
            Assert.True(denseCoarse![0, k].allclose(coarse![0, 0], atol: 1e-4), $"coarse interests differ at cut {cutPoints[k]}");
        }
    }

    [Fact]
    public void A_longer_query_window_lets_the_interests_read_items_the_item_tokens_cannot_reach()
    {
        using var noGrad = no_grad();
        long[] a = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
        long[] b = [20, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
        var cut = tensor(new long[] { 11 }).view(1, 1);
        foreach (var (window, reads) in new[] { (0, false), (12, true) })
        {
            // Item 0 lies 11 positions before the cut: beyond n x blocks = 6, inside a query window of 12.
            var (network, table) = EvalNetwork(3, Small with { QueryWindow = window, UseCoarse = false, CoarseStateToken = false });
            using var owned = network;
            var (_, first) = Forward(network, table, tensor(a).view(1, -1), cut);
            var (_, second) = Forward(network, table, tensor(b).view(1, -1), cut);
            Assert.Equal(!reads, first.allclose(second, atol: 1e-5));
        }
    }

    [Fact]
    public void The_query_window_goes_into_the_manifest_config_and_older_configs_read_as_the_item_window()
    {
        var options = Small with { QueryWindow = 9 };
        var config = options.ToConfig();
        Assert.Equal(options, HyMiRecOptions.FromConfig(config));
        Assert.Equal(9 + (3 * 1), options.RecentLength);

        var older = config.Where(kv => kv.Key != "queryWindow").ToDictionary(kv => kv.Key, kv => kv.Value);
        var read = HyMiRecOptions.FromConfig(older);
        Assert.Equal(Small.RecentWindow, read.QueryReach);
        Assert.Equal(Small.RecentWindow * Small.RefinedBlocks, read.RecentLength);
    }

    [Fact]
    public void Coarse_queries_that_read_recent_events_see_the_newest_event_and_the_setting_goes_into_the_manifest()
    {
        using var noGrad = no_grad();
        long[] a = [3, 4, 5, 6, 7, 8, 9, 10];
        long[] b = [3, 4, 5, 6, 7, 8, 9, 20];
        var cut = tensor(new long[] { 7 }).view(1, 1);
        foreach (var (recent, reads) in new[] { (false, false), (true, true) })
        {
            var options = Small with { CoarseReadsRecent = recent };
            Assert.Equal(recent ? 0 : Small.RecentWindow, options.CoarseLag);
            var (network, table) = EvalNetwork(4, options);
            using var owned = network;
            var (first, _) = Forward(network, table, tensor(a).view(1, -1), cut);
            var (second, _) = Forward(network, table, tensor(b).view(1, -1), cut);
            Assert.Equal(!reads, first!.allclose(second!, atol: 1e-5));
            Assert.Equal(options, HyMiRecOptions.FromConfig(options.ToConfig()));
        }

        var older = Small.ToConfig().Where(kv => kv.Key != "coarseReadsRecent").ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.False(HyMiRecOptions.FromConfig(older).CoarseReadsRecent);
    }

    [Fact]
    public void The_coarse_state_token_is_the_history_tokens_output_at_the_cut_and_the_refined_queries_read_it()
    {
        using var noGrad = no_grad();
        var options = Small with { CoarseStateToken = true, CoarseReadsRecent = true };
        long[] a = [0, 0, 3, 4, 5, 6, 7, 8, 9, 10];
        var items = tensor(a).view(1, -1);
        var cuts = tensor(new long[] { 9, 5, 1 }).view(1, 3); // the last reads only left padding
        var (network, table) = EvalNetwork(6, options);
        using var owned = network;
        var (coarse, refined, _, sequence) = ForwardWithSequence(network, table, items, cuts);
        var embedded = Embed(table, items);
        var prefix = network.CoarsePrefix(embedded, items.ne(0), cuts - network.Options.CoarseLag)!; // what the refined queries read

        var c = Small.CoarseQueries;
        Assert.Equal([1, 3, c, Small.Dimension], coarse!.shape); // the interests alone
        Assert.Equal([1, 3, c + 1, Small.Dimension], prefix.shape);
        Assert.True(prefix[.., .., ..c].allclose(coarse, atol: 1e-6));
        var state = nn.functional.normalize(prefix[0, .., c], dim: -1); // [K, D]
        Assert.True(state[..2].allclose(sequence![0].index_select(0, tensor(new long[] { 9, 5 })), atol: 1e-5));
        Assert.Equal(0, prefix[0, 2, c].abs().max().item<float>());

        // The same weights without the token: the c interests are the same, the refined ones are not.
        var (plain, _) = EvalNetwork(6, options with { CoarseStateToken = false });
        using var ownedPlain = plain;
        var (plainCoarse, plainRefined) = Forward(plain, table, items, cuts);
        Assert.True(coarse.allclose(plainCoarse!, atol: 1e-6));
        Assert.False(refined[0, 0].allclose(plainRefined[0, 0], atol: 1e-4));

        Assert.Equal(options, HyMiRecOptions.FromConfig(options.ToConfig()));
        var older = Small.ToConfig().Where(kv => kv.Key != "coarseStateToken").ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.False(HyMiRecOptions.FromConfig(older).CoarseStateToken);
        Assert.Throws<ArgumentException>(() => (Small with { CoarseStateToken = true, UseCoarse = false }).Validate());
    }

    [Fact]
    public void Interests_ignore_items_after_the_cut()
    {
        using var noGrad = no_grad();
        var (network, table) = EvalNetwork(5);
        using var owned = network;
        long[] a = [3, 4, 5, 6, 7, 8, 9, 10];
        long[] b = [3, 4, 5, 6, 7, 20, 21, 22];
        long[] cut = [4];
        var (_, first) = Forward(network, table, tensor(a).view(1, -1), tensor(cut).view(1, 1));
        var (_, second) = Forward(network, table, tensor(b).view(1, -1), tensor(cut).view(1, 1));
        Assert.True(first.allclose(second, atol: 1e-5));
    }

    [Fact]
    public void Item_token_outputs_read_no_later_item_and_leave_the_interests_as_they_are()
    {
        using var noGrad = no_grad();
        var (network, table) = EvalNetwork(7);
        using var owned = network;
        long[] a = [0, 0, 3, 4, 5, 6, 7, 8];
        long[] b = [0, 0, 3, 4, 5, 6, 20, 21];
        var cuts = tensor(new long[] { 5, 7 }).view(1, 2);
        var (_, first, firstSequence, _) = ForwardWithSequence(network, table, tensor(a).view(1, -1), cuts);
        var (_, second, secondSequence, _) = ForwardWithSequence(network, table, tensor(b).view(1, -1), cuts);

        // Tokens 0..5 read only the common prefix (left padding included); token 6 reads item 7 or 20.
        Assert.True(firstSequence[0, ..6].allclose(secondSequence[0, ..6], atol: 1e-5));
        Assert.False(firstSequence[0, 6].allclose(secondSequence[0, 6], atol: 1e-3));
        Assert.Equal([1, 8, Small.Dimension], firstSequence.shape);
        Assert.True(first[0, 0].allclose(second[0, 0], atol: 1e-5), "the cut at 5 reads no later item either");
        var (_, alone) = Forward(network, table, tensor(a).view(1, -1), cuts);
        Assert.True(first.allclose(alone, atol: 1e-6), "asking for the item-token outputs changes no interest");

        // Not asking leaves them out, and the interests as they are.
        var embedded = Embed(table, tensor(a).view(1, -1));
        var valid = tensor(a).view(1, -1).ne(0);
        var (_, without, none, _) = network.InterestsAndSequence(embedded, valid, cuts - network.Options.CoarseLag, embedded, valid, cuts, withSequence: false);
        Assert.Null(none);
        Assert.True(first.allclose(without, atol: 1e-6));
    }

    [Fact]
    public void Coarse_history_token_outputs_read_every_earlier_event_and_no_later_one()
    {
        using var noGrad = no_grad();
        var (network, table) = EvalNetwork(9);
        using var owned = network;
        long[] a = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
        long[] oldest = [20, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
        long[] newest = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 21];
        var cuts = tensor(new long[] { 8, 11 }).view(1, 2);
        var (coarse, refined, _, sequence) = ForwardWithSequence(network, table, tensor(a).view(1, -1), cuts);
        var (_, _, _, changedOldest) = ForwardWithSequence(network, table, tensor(oldest).view(1, -1), cuts);
        var (_, _, _, changedNewest) = ForwardWithSequence(network, table, tensor(newest).view(1, -1), cuts);

        Assert.Equal([1, 12, Small.Dimension], sequence!.shape);
        Assert.True(sequence.norm(dim: -1).allclose(ones(1, 12), atol: 1e-5), "outputs are L2-normalised like the item tokens'");
        // The newest token reads the oldest event, 11 positions back: no window, unlike the refined item tokens (n = 3).
        Assert.False(sequence[0, 11].allclose(changedOldest![0, 11], atol: 1e-3));
        Assert.True(sequence[0, ..11].allclose(changedNewest![0, ..11], atol: 1e-5), "no token reads a later event");
        Assert.False(sequence[0, 11].allclose(changedNewest[0, 11], atol: 1e-3));

        var (aloneCoarse, alone) = Forward(network, table, tensor(a).view(1, -1), cuts);
        Assert.True(coarse!.allclose(aloneCoarse!, atol: 1e-6) && refined.allclose(alone, atol: 1e-6), "asking for them changes no interest");
    }

    /// <summary>A seeded small network in eval mode and its item table [31, D]; call inside no_grad.</summary>
    private static (HyMiRecNetwork Network, Tensor Table) EvalNetwork(int seed, HyMiRecOptions? options = null)
    {
        manual_seed(seed);
        var network = new HyMiRecNetwork(options ?? Small, itemCount: 30, vocabularySize: 12);
        network.eval();
        return (network, network.ItemTable(randint(1, 12, [31, 4])));
    }

    private static (Tensor? Coarse, Tensor Refined, Tensor Sequence, Tensor? CoarseSequence) ForwardWithSequence(HyMiRecNetwork network, Tensor table, Tensor items, Tensor cuts)
    {
        var embedded = Embed(table, items);
        var (coarse, refined, sequence, coarseSequence) = network.InterestsAndSequence(embedded, items.ne(0), cuts - network.Options.CoarseLag, embedded, items.ne(0), cuts);
        return (coarse, refined, sequence!, coarseSequence);
    }

    private static Tensor Embed(Tensor table, Tensor items) => table.index_select(0, items.view(-1)).view(items.shape[0], items.shape[1], -1);

    private static (Tensor? Coarse, Tensor Refined) Forward(HyMiRecNetwork network, Tensor table, Tensor items, Tensor cuts)
    {
        var embedded = Embed(table, items);
        return network.Interests(embedded, items.ne(0), cuts - network.Options.CoarseLag, embedded, items.ne(0), cuts);
    }
}
