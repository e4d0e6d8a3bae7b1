using HyMiRec.Model.Data;
using HyMiRec.Model.Interests;
using HyMiRec.Model.Serving;
using static TorchSharp.torch;

namespace HyMiRec.UnitTests.Serving;

/// <summary>Interests computed with the users' kept history states against whole passes of the same model.</summary>
public sealed class HistoryStatesTests
{
    private static readonly bool[] PaddedValid = [false, false, true, true, true, true, true, true, true, true, true, true, true, true];
    private static readonly long[] Cuts = [6, 2, -1, 4];
    private static readonly long[] Rows = [0, 3, 6, 7, 9, 10, 1, 4, 5, 8, 9, 10];

    private static readonly InteractionDataset Dataset =
        SyntheticDataset.Generate(new SyntheticOptions { Users = 8, Topics = 4, ItemsPerTopic = 20, MinLength = 70, MaxLength = 80 }).Dataset;

    [Fact]
    public void Kept_states_give_the_interests_of_a_whole_pass_as_histories_grow_change_and_slide()
    {
        using var dir = new TempDirectory();
        InterestModelStore.CreateUntrained(dir.Path, Dataset, seed: 4, new HyMiRecOptions { MaxHistory = 48 });
        using var kept = InterestModelStore.Load(dir.Path, historyCacheBytes: 1 << 24);
        using var whole = InterestModelStore.Load(dir.Path);
        var histories = Dataset.Users.Take(4).Select(u => u.Items).ToArray();

        // One click, several at once, none, an older event changed, and the window (48) sliding.
        foreach (var length in new[] { 5, 6, 7, 12, 12, -12, 30, 47, 48, 49, 60 })
        {
            var requests = histories.Select((items, u) => Keyed(kept, Changed(items, length) [..(Math.Abs(length) + u)], $"user-{u}")).ToList();
            requests.Add(kept.RequestFor(histories[0][..9])); // no key: a whole pass beside the keyed ones
            var batched = kept.ComputeInterests(requests);
            for (var i = 0; i < requests.Count; i++)
            {
                var expected = whole.ComputeInterests([requests[i] with { UserKey = null }])[0];
                AssertClose(expected.Refined, batched[i].Refined, $"length {length}, request {i}, refined");
                AssertClose(expected.Coarse, batched[i].Coarse, $"length {length}, request {i}, coarse");
            }
        }

        var stats = kept.HistoryStates;
        // Every keyed request from the second step to 47 events shares a prefix with the one before (7 steps x 4 users).
        Assert.True(stats.Hits >= 28 && stats.ReusedEvents > 0, $"hits {stats.Hits}, reused {stats.ReusedEvents}, computed {stats.ComputedEvents}");
        Assert.Equal(4, stats.Entries);
        Assert.Equal(default, whole.HistoryStates);
    }

    [Fact]
    public void The_kept_states_are_what_the_pass_reads()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(3);
        var options = new HyMiRecOptions { Dimension = 16, Heads = 2, CoarseQueries = 2 };
        using var coarse = new CoarseRecommender(options);
        coarse.eval();
        var history = randn(2, 10, 16); // [B, H, D]
        var valid = ones(2, 10, dtype: ScalarType.Bool);
        valid[1, ..3] = false;
        var cuts = full(2, 1, 9L, dtype: ScalarType.Int64);
        var expected = coarse.forward(history, valid, cuts);

        var (fromNothing, states) = coarse.RunIncremental(history, valid, cuts, zeros(2, 10, 1, 16), fresh: 10);
        Assert.True(fromNothing.allclose(expected, atol: 1e-5));

        var garbage = states.clone();
        garbage[.., 7..] = randn(2, 3, 1, 16); // rows the pass computes again
        var (fromKept, again) = coarse.RunIncremental(history, valid, cuts, garbage, fresh: 3);
        Assert.True(fromKept.allclose(expected, atol: 1e-5));
        Assert.Equal([2, 3, 1, 16], again.shape);
        Assert.True(again.allclose(states[.., 7..], atol: 1e-5));

        var wrong = states.clone();
        wrong[.., 2] = randn(2, 1, 16); // a row the pass takes as known
        var (fromWrong, _) = coarse.RunIncremental(history, valid, cuts, wrong, fresh: 3);
        Assert.False(fromWrong.allclose(expected, atol: 1e-3), "a kept state is read, so a wrong one changes the interests");
    }

    [Fact]
    public void A_row_mask_is_those_rows_of_the_whole_mask_and_both_follow_the_layout_rule()
    {
        using var scope = NewDisposeScope();
        var valid = tensor(PaddedValid).view(2, 7);
        var cuts = tensor(Cuts).view(2, 2);
        var rows = tensor(Rows).view(2, 6);
        foreach (var (window, groupWindow) in new (int?, int?)[] { (null, null), (3, 2), (2, null) })
        {
            var expected = tensor(Rule(window, groupWindow)).view(2, 1, 11, 11);
            var whole = QueryLayout.Mask(valid, cuts, groupSize: 2, window, groupWindow); // [B, 1, 11, 11]
            Assert.True(whole.eq(expected).all().item<bool>(), $"whole mask, window {window}, group window {groupWindow}");
            var some = expected.gather(2, rows.view(2, 1, 6, 1).expand(-1, -1, -1, 11));
            Assert.True(QueryLayout.RowMask(valid, cuts, groupSize: 2, window, groupWindow, rows).eq(some).all().item<bool>(), $"window {window}, group window {groupWindow}");
        }
    }

    /// <summary>
    /// The layout rule written out for 7 sequence tokens and 2 groups of 2 queries: a sequence token reads real tokens
    /// up to itself (within its window), a query reads real tokens up to its group's cut (within the group window) and
    /// its own group; every token reads itself.
    /// </summary>
    private static bool[] Rule(int? window, int? groupWindow)
    {
        const int length = 7, size = 2, total = 11;
        var mask = new bool[2 * total * total];
        for (var b = 0; b < 2; b++)
        {
            for (var q = 0; q < total; q++)
            {
                for (var k = 0; k < total; k++)
                {
                    var sees = q == k;
                    if (k < length && PaddedValid[(b * length) + k])
                    {
                        var (newest, width) = q < length ? (q, window) : ((int)Cuts[(b * 2) + ((q - length) / size)], groupWindow);
                        sees |= k <= newest && (width is not { } w || k > newest - w);
                    }

                    sees |= q >= length && k >= length && (q - length) / size == (k - length) / size;
                    mask[(((b * total) + q) * total) + k] = sees;
                }
            }
        }

        return mask;
    }

    /// <summary>The history with an older event replaced where <paramref name="length"/> is negative.</summary>
    private static int[] Changed(int[] items, int length)
    {
        var copy = items.ToArray();
        if (length < 0)
        {
            copy[3] = copy[3] == 1 ? 2 : 1;
        }

        return copy;
    }

    private static InterestRequest Keyed(HyMiRecInterestModel model, int[] items, string key) => model.RequestFor(items) with { UserKey = key };

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).DefaultIfEmpty(0).Max();
        Assert.True(worst < 1e-4, $"{what}: largest difference {worst}");
    }
}
