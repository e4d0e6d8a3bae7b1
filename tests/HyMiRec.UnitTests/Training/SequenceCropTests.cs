using HyMiRec.Training.Training;

namespace HyMiRec.UnitTests.Training;

public sealed class SequenceCropTests
{
    private static readonly int[] Sequence = Enumerable.Range(1, 10).ToArray();

    [Fact]
    public void Without_crops_a_long_sequence_gives_its_newest_items_and_draws_nothing()
    {
        var random = new Random(5);
        Assert.Equal([7, 8, 9, 10], SequenceCrop.Take(Sequence, 4, crop: false, random));
        Assert.Equal(new Random(5).Next(), random.Next());
    }

    [Fact]
    public void A_sequence_that_fits_is_kept_whole_with_or_without_crops()
    {
        Assert.Same(Sequence, SequenceCrop.Take(Sequence, 10, crop: true, new Random(1)));
        Assert.Same(Sequence, SequenceCrop.Take(Sequence, 12, crop: false, new Random(1)));
    }

    [Fact]
    public void Crops_are_consecutive_windows_and_over_many_draws_reach_every_event()
    {
        var random = new Random(3);
        var seen = new HashSet<int>();
        var newest = 0;
        for (var i = 0; i < 200; i++)
        {
            var crop = SequenceCrop.Take(Sequence, 4, crop: true, random);
            Assert.Equal(4, crop.Length);
            Assert.Equal(Enumerable.Range(crop[0], 4), crop);
            seen.UnionWith(crop);
            newest += crop[^1] == 10 ? 1 : 0;
        }

        Assert.Equal(Sequence, seen.Order());
        Assert.InRange(newest, 1, 199); // the newest window is one of seven ends, not the only one
    }

    [Fact]
    public void A_length_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SequenceCrop.Take(Sequence, 0, crop: true, new Random(1)));
}
