using HyMiRec.Training.Training;

namespace HyMiRec.UnitTests.Training;

public sealed class SequenceBatchTests
{
    [Fact]
    public void Left_pads_and_keeps_the_newest_items()
    {
        var batch = SequenceBatch.LeftPadded([[1, 2, 3, 4, 5], [7]], maxLength: 3);

        Assert.Equal(new long[] { 3, 4, 5, 0, 0, 7 }, batch.data<long>().ToArray());
        Assert.Equal(new long[] { 2, 3 }, batch.shape);
    }

    [Fact]
    public void Next_item_pairs_shift_by_one()
    {
        var (inputs, targets) = SequenceBatch.NextItemPairs([[1, 2, 3], [4, 5]], maxLength: 5);

        Assert.Equal(new long[] { 1, 2, 0, 4 }, inputs.data<long>().ToArray());
        Assert.Equal(new long[] { 2, 3, 0, 5 }, targets.data<long>().ToArray());
    }
}
