using HyMiRec.Model.Serving;

namespace HyMiRec.UnitTests.Serving;

public sealed class HistoryBucketsTests
{
    [Fact]
    public void SizeCapGroupsShortWithShortAndLongWithLong()
    {
        // Sorted: 5 (0), 7 (2), 990 (3), 1000 (1); two per pass.
        var plan = HistoryBuckets.Plan([5, 1000, 7, 990], maxBatchSize: 2, maxPaddingWaste: 1);
        Assert.Equal(new int[][] { [0, 2], [3, 1] }, plan);
    }

    [Fact]
    public void WasteBoundSplitsWhereTheCapAloneWouldNot()
    {
        // {5, 7} + 990 would be 3 x 990 = 2,970 cells for 1,002 events: 66 % padding > 50 %.
        Assert.Equal(new int[][] { [0, 2], [3, 1] }, HistoryBuckets.Plan([5, 1000, 7, 990], maxBatchSize: 16, maxPaddingWaste: 0.5));
        Assert.Equal(new int[][] { [0, 2, 3, 1] }, HistoryBuckets.Plan([5, 1000, 7, 990], maxBatchSize: 16, maxPaddingWaste: 1));
    }

    [Fact]
    public void WasteExactlyAtTheBoundIsAllowed()
    {
        // {10, 20}: 40 cells, 30 used, 25 % (allowed); + 30: 90 cells, 60 used, 33 % (cut); {30, 40}: 80 cells, 70 used.
        Assert.Equal(new int[][] { [0, 1], [2, 3] }, HistoryBuckets.Plan([10, 20, 30, 40], maxBatchSize: 16, maxPaddingWaste: 0.25));
        // At 20 %: {10, 20} wastes 25 % (cut); {20, 30}: 60 cells, 50 used, 17 %; + 40: 120 cells, 90 used, 25 % (cut).
        Assert.Equal(new int[][] { [0], [1, 2], [3] }, HistoryBuckets.Plan([10, 20, 30, 40], maxBatchSize: 16, maxPaddingWaste: 0.2));
    }

    [Fact]
    public void CapIsRespectedAndEqualLengthsKeepTheirOrder()
    {
        var plan = HistoryBuckets.Plan(Enumerable.Repeat(50, 10).ToArray(), maxBatchSize: 4, maxPaddingWaste: 0);
        Assert.Equal(new int[][] { [0, 1, 2, 3], [4, 5, 6, 7], [8, 9] }, plan);
        Assert.Equal(new int[][] { [2, 0, 1, 3] }, HistoryBuckets.Plan([3, 3, 1, 3], maxBatchSize: 16, maxPaddingWaste: 1));
    }

    [Fact]
    public void EmptyAndSingleBatches()
    {
        Assert.Empty(HistoryBuckets.Plan([], maxBatchSize: 16, maxPaddingWaste: 0.5));
        Assert.Equal(new int[][] { [0] }, HistoryBuckets.Plan([1000], maxBatchSize: 1, maxPaddingWaste: 0));
        Assert.Equal(new int[][] { [0] }, HistoryBuckets.Plan([0], maxBatchSize: 16, maxPaddingWaste: 0));
    }

    [Fact]
    public void EmptyHistoriesCountAsOnePositionSoTheyShareAPass()
    {
        Assert.Equal(new int[][] { [0, 1, 2] }, HistoryBuckets.Plan([0, 0, 1], maxBatchSize: 16, maxPaddingWaste: 0));
    }

    [Fact]
    public void EveryRequestAppearsOnceInBoundedSortedPasses()
    {
        var random = new Random(7);
        var lengths = Enumerable.Range(0, 500).Select(_ => random.Next(10) == 0 ? 1000 : random.Next(0, 101)).ToArray();
        const int Cap = 8;
        const double Waste = 0.3;
        var plan = HistoryBuckets.Plan(lengths, Cap, Waste);

        Assert.Equal(Enumerable.Range(0, lengths.Length), plan.SelectMany(p => p).Order());
        var flattened = plan.SelectMany(p => p).Select(i => lengths[i]).ToArray();
        Assert.Equal(flattened.Order(), flattened);
        foreach (var pass in plan)
        {
            Assert.InRange(pass.Length, 1, Cap);
            var widths = pass.Select(i => Math.Max(1, lengths[i])).ToArray();
            var cells = (double)widths.Max() * widths.Length;
            Assert.True(pass.Length == 1 || (cells - widths.Sum()) / cells <= Waste, $"pass [{string.Join(',', widths)}] wastes more than {Waste}");
        }

        // Greedy cutting fills passes: the cap alone (no waste bound) leaves no pass but the last short of it.
        Assert.All(HistoryBuckets.Plan(lengths, Cap, 1).SkipLast(1), p => Assert.Equal(Cap, p.Length));
    }

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(16, -0.1)]
    [InlineData(16, 1.5)]
    [InlineData(16, double.NaN)]
    public void BadSettingsAreRejected(int maxBatchSize, double maxPaddingWaste)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HistoryBuckets.Plan([1, 2], maxBatchSize, maxPaddingWaste));
    }

    [Fact]
    public void NegativeLengthIsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => HistoryBuckets.Plan([1, -2], 16, 0.5));
        Assert.Contains("request 1", error.Message, StringComparison.Ordinal);
    }
}
