using HyMiRec.Grains.Journal;

namespace HyMiRec.UnitTests.Journal;

public sealed class EventPackingTests
{
    [Fact]
    public void Events_round_trip_and_cost_a_few_bytes_each()
    {
        const int Events = 2000;
        var keys = Enumerable.Range(0, Events).Select(i => 1 + (i * 37 % 3700)).ToArray();
        var times = Enumerable.Range(0, Events).Select(i => 1_700_000_000_000L + (i * 61_000L) - (i % 7 == 0 ? 90_000 : 0)).ToArray();

        var packed = EventPacking.PackEvents(keys, times);
        var backKeys = new List<int>();
        var backTimes = new List<long>();
        EventPacking.UnpackEvents(packed, Events, backKeys, backTimes);

        Assert.Equal(keys, backKeys);
        Assert.Equal(times, backTimes);
        // Two-byte keys and three-byte gaps (one minute apart), against 12+ bytes for an int and a long.
        Assert.True(packed.Length <= 5.1 * Events, $"{packed.Length / (double)Events:F2} bytes per event");
    }

    [Fact]
    public void Offsets_keep_the_highest_per_partition()
    {
        var highest = new Dictionary<int, long> { [0] = 50 };
        EventPacking.UnpackOffsets(EventPacking.PackOffsets([new LogPosition(0, 40), new LogPosition(3, 1L << 40)]), highest);
        EventPacking.UnpackOffsets(EventPacking.PackOffsets([new LogPosition(0, 70)]), highest);

        Assert.Equal(70, highest[0]);
        Assert.Equal(1L << 40, highest[3]);
    }

    [Fact]
    public void A_truncated_or_padded_row_is_refused()
    {
        var packed = EventPacking.PackEvents([300, 5], [1_000, 2_000]);

        Assert.Throws<InvalidDataException>(() => EventPacking.UnpackEvents(packed.AsSpan(0, packed.Length - 1), 2, [], []));
        Assert.Throws<InvalidDataException>(() => EventPacking.UnpackEvents([.. packed, 0], 2, [], []));
    }
}
