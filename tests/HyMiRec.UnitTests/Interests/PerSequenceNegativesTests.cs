using HyMiRec.Model.Interests;
using HyMiRec.Model.Losses;
using static TorchSharp.torch;

namespace HyMiRec.UnitTests.Interests;

/// <summary>
/// Negatives drawn per training sequence ([G, K]): each group of consecutive samples is scored against its own set, so
/// the loss equals the per-group losses with shared negatives, weighted by how many targets each group has.
/// </summary>
public sealed class PerSequenceNegativesTests
{
    private const int Items = 60;
    private const int Dimension = 8;

    [Fact]
    public void Dmil_scores_each_sequence_s_cut_points_against_that_sequence_s_negatives()
    {
        manual_seed(11);
        var table = randn(Items + 1, Dimension); // [N+1, D]
        var interests = randn(4, 2, Dimension); // [M, s, D]: samples 0-1 are sequence 0's cut points, 2-3 sequence 1's
        var targets = tensor(new long[] { 5, 9, 0, 17, 0, 0, 33, 40, 41, 12, 2, 0 }).view(4, 3); // [M, w]
        var negatives = randint(1, Items + 1, [2, 6]); // [G, K]
        var loss = new DmilLoss(Items, 6, 0.2, InterestMatching.Hungarian);

        var grouped = loss.Compute(interests, targets, table, negatives).item<float>();
        var first = loss.Compute(interests[..2], targets[..2], table, negatives[0]).item<float>();
        var second = loss.Compute(interests[2..], targets[2..], table, negatives[1]).item<float>();
        var expected = ((3 * first) + (5 * second)) / 8; // 3 targets in sequence 0, 5 in sequence 1
        Assert.Equal(expected, grouped, 4);

        // The first set for every sample is another loss, so the comparison above sees which set a sample used.
        var shared = loss.Compute(interests, targets, table, negatives[0]).item<float>();
        Assert.True(Math.Abs(shared - grouped) > 1e-3, $"grouped {grouped}, shared {shared}");
        Assert.Equal(shared, loss.Compute(interests, targets, table, negatives[..1]).item<float>(), 4);
    }

    [Fact]
    public void The_merged_and_per_position_terms_use_each_sequence_s_own_negatives()
    {
        manual_seed(12);
        var table = randn(Items + 1, Dimension); // [N+1, D]
        var interests = randn(6, 3, Dimension); // [M, s, D], three samples per sequence
        var next = tensor(new long[] { 4, 0, 19, 7, 7, 50 }); // [M], sample 1 has no next item
        var negatives = tensor(new long[] { 19, 3, 8, 30, 1, 7, 22, 50, 9, 13 }).view(2, 5); // [G, K], each holds a positive
        var merged = new MergedNextItemLoss(0.3);

        var grouped = merged.Compute(interests, next, table, negatives).item<float>();
        var first = merged.Compute(interests[..3], next[..3], table, negatives[0]).item<float>();
        var second = merged.Compute(interests[3..], next[3..], table, negatives[1]).item<float>();
        Assert.Equal(((2 * first) + (3 * second)) / 5, grouped, 4);
        Assert.True(Math.Abs(merged.Compute(interests, next, table, negatives[1]).item<float>() - grouped) > 1e-3);

        // Item positions: sequence b's positions use row b of the negatives.
        var sequence = nn.functional.normalize(randn(2, 4, Dimension), dim: -1); // [B, T, D]
        var items = tensor(new long[] { 0, 5, 19, 8, 3, 30, 50, 7 }).view(2, 4); // [B, T], sequence 0 left-padded
        var positions = new PositionNextItemLoss(0.3);
        var byRow = positions.Compute(sequence, items, table, negatives).item<float>();
        var row0 = positions.Compute(sequence[..1], items[..1], table, negatives[0]).item<float>();
        var row1 = positions.Compute(sequence[1..], items[1..], table, negatives[1]).item<float>();
        Assert.Equal(((2 * row0) + (3 * row1)) / 5, byRow, 4); // 2 targets in sequence 0 (after the padding), 3 in sequence 1
    }
}
