using HyMiRec.Model.Interests;
using HyMiRec.Model.Losses;
using static TorchSharp.torch;

namespace HyMiRec.UnitTests.Interests;

public sealed class MergedNextItemLossTests
{
    // Items 1..4 on the unit circle's first quadrant and beyond; row 0 padding.
    private static readonly float[] Table = [0, 0, 1, 0, 0, 1, 0.6f, 0.8f, -1, 0];
    private static readonly float[] TwoInterests = [1, 0, 0, 1]; // user 1: along x and along y

    // Positions: padding (its next, item 1, is no target), item 1 -> target 3, item 3 -> target 2, item 2 (last).
    private static readonly float[] PositionOutputs = [0, 1, 1, 0, 0.6f, 0.8f, -1, 0];
    private static readonly long[] PositionItems = [0, 1, 3, 2];

    [Fact]
    public void Every_item_is_scored_by_its_best_interest_as_serving_ranks_it()
    {
        var loss = new MergedNextItemLoss(0.5).Compute(tensor(TwoInterests).view(1, 2, 2), tensor(new long[] { 3 }), tensor(Table).view(5, 2), null);

        // Best cosine per item over (x, y): item 1 -> 1, item 2 -> 1, item 3 -> 0.8, item 4 -> 0 (y scores it 0, x -1).
        double[] merged = [1, 1, 0.8, 0];
        var expected = -(merged[2] / 0.5) + Math.Log(merged.Sum(c => Math.Exp(c / 0.5)));
        Assert.Equal(expected, loss.item<float>(), 4);
    }

    [Fact]
    public void Sampled_negatives_skip_the_positive_and_samples_without_a_next_item()
    {
        var interests = tensor(TwoInterests.Concat(TwoInterests).ToArray()).view(2, 2, 2);
        var next = tensor(new long[] { 4, 0 }); // the second sample has no next item and is left out
        var negatives = tensor(new long[] { 1, 4, 3 });
        var loss = new MergedNextItemLoss(0.5).Compute(interests, next, tensor(Table).view(5, 2), negatives);

        double[] logits = [0, 1, 0.8]; // positive (item 4: best 0), then items 1 and 3; item 4 as a negative is masked
        var expected = -(logits[0] / 0.5) + Math.Log(logits.Sum(c => Math.Exp(c / 0.5)));
        Assert.Equal(expected, loss.item<float>(), 4);
    }

    [Fact]
    public void Each_item_position_is_scored_against_the_next_item_and_padding_and_the_last_position_are_not()
    {
        var loss = new PositionNextItemLoss(0.5).Compute(tensor(PositionOutputs).view(1, 4, 2), tensor(PositionItems).view(1, 4), tensor(Table).view(5, 2), null);

        double[] table = [1, 0, 0, 1, 0.6, 0.8, -1, 0]; // items 1..4
        double CrossEntropy(double x, double y, int target)
        {
            var logits = Enumerable.Range(0, 4).Select(i => ((x * table[2 * i]) + (y * table[(2 * i) + 1])) / 0.5).ToArray();
            return -logits[target - 1] + Math.Log(logits.Sum(Math.Exp));
        }

        var expected = (CrossEntropy(1, 0, 3) + CrossEntropy(0.6, 0.8, 2)) / 2;
        Assert.Equal(expected, loss.item<float>(), 4);
    }

    [Fact]
    public void Sampling_as_many_positions_as_have_a_target_gives_the_full_loss()
    {
        var (outputs, items, table) = (tensor(PositionOutputs).view(1, 4, 2), tensor(PositionItems).view(1, 4), tensor(Table).view(5, 2));
        var loss = new PositionNextItemLoss(0.5);
        var every = loss.Compute(outputs, items, table, null).item<float>();

        // Two positions have a target: drawing two of the three, or asking for more than there are, scores both.
        Assert.Equal(every, loss.Compute(outputs, items, table, null, 2, new Generator(3)).item<float>(), 5);
        Assert.Equal(every, loss.Compute(outputs, items, table, null, 5, new Generator(3)).item<float>(), 5);
    }

    [Fact]
    public void One_sampled_position_is_one_with_a_target_drawn_by_the_generator()
    {
        var (outputs, items, table) = (tensor(PositionOutputs).view(1, 4, 2), tensor(PositionItems).view(1, 4), tensor(Table).view(5, 2));
        var loss = new PositionNextItemLoss(0.5);
        var first = loss.Compute(outputs[.., 1..3, ..], items[.., 1..3], table, null).item<float>(); // item 1 -> 3 alone
        var second = loss.Compute(outputs[.., 2.., ..], items[.., 2..], table, null).item<float>(); // item 3 -> 2 alone

        var drawn = Enumerable.Range(0, 16).Select(seed => loss.Compute(outputs, items, table, null, 1, new Generator((ulong)seed)).item<float>()).ToArray();

        Assert.All(drawn, value => Assert.True(Math.Abs(value - first) < 1e-5 || Math.Abs(value - second) < 1e-5, $"{value} is neither position's loss"));
        Assert.Contains(drawn, value => Math.Abs(value - first) < 1e-5);
        Assert.Contains(drawn, value => Math.Abs(value - second) < 1e-5);
        Assert.Equal(drawn[7], loss.Compute(outputs, items, table, null, 1, new Generator(7)).item<float>());
        Assert.Throws<ArgumentOutOfRangeException>(() => loss.Compute(outputs, items, table, null, -1, new Generator(7)));
    }

    [Fact]
    public void Dmil_adds_the_merged_term_of_each_window_s_first_target_with_its_weight()
    {
        var interests = tensor(TwoInterests).view(1, 2, 2);
        var targets = tensor(new long[] { 3, 1 }).view(1, 2);
        var table = tensor(Table).view(5, 2);
        var alone = new DmilLoss(4, 4, 0.5, InterestMatching.Hungarian).Compute(interests, targets, table).item<float>();
        var merged = new MergedNextItemLoss(0.5).Compute(interests, tensor(new long[] { 3 }), table, null).item<float>();
        var both = new DmilLoss(4, 4, 0.5, InterestMatching.Hungarian, mergedWeight: 0.25).Compute(interests, targets, table).item<float>();

        Assert.Equal(alone + (0.25 * merged), both, 4);
    }
}
