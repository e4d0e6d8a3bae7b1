using HyMiRec.Model.Serving;

namespace HyMiRec.UnitTests.Serving;

public sealed class HistoryStateCacheTests
{
    private const int Layers = 2;
    private const int Row = 3;

    [Fact]
    public void Reuses_the_leading_events_whose_codes_and_magnitudes_repeat_the_stored_ones()
    {
        var cache = new HistoryStateCache(1 << 20, Row);
        var (codes, magnitudes) = History(4);
        cache.Store("u", codes, magnitudes, Layers, States(4));

        var (longer, longerMagnitudes) = History(6);
        var into = new float[6 * Row];
        Assert.Equal(4, cache.CopyKnown("u", longer, longerMagnitudes, Layers, into));
        Assert.Equal(States(4), into[..(4 * Row)]);
        Assert.All(into[(4 * Row)..], v => Assert.Equal(0f, v));

        longer[(2 * Layers) + 1]++; // event 2's second code differs
        Assert.Equal(2, cache.CopyKnown("u", longer, longerMagnitudes, Layers, new float[6 * Row]));

        var (same, sameMagnitudes) = History(6);
        sameMagnitudes[Layers] = (Half)9; // event 1's first magnitude differs
        Assert.Equal(1, cache.CopyKnown("u", same, sameMagnitudes, Layers, new float[6 * Row]));

        var (slid, slidMagnitudes) = History(6);
        Assert.Equal(0, cache.CopyKnown("u", slid.AsSpan(Layers), slidMagnitudes.AsSpan(Layers), Layers, new float[5 * Row]));
        Assert.Equal(0, cache.CopyKnown("someone else", longer, longerMagnitudes, Layers, new float[6 * Row]));

        var stats = cache.Stats;
        Assert.Equal((5L, 3L, 7L, 6L + 6 + 6 + 5 + 6 - 7), (stats.Requests, stats.Hits, stats.ReusedEvents, stats.ComputedEvents));
    }

    [Fact]
    public void Codes_without_magnitudes_are_compared_alone()
    {
        var cache = new HistoryStateCache(1 << 20, Row);
        var (codes, _) = History(3);
        cache.Store("u", codes, [], Layers, States(3));
        Assert.Equal(3, cache.CopyKnown("u", codes, [], Layers, new float[3 * Row]));
    }

    [Fact]
    public void The_least_recently_used_entries_go_first_and_the_bytes_stay_within_the_capacity()
    {
        var (codes, magnitudes) = History(100);
        var probe = new HistoryStateCache(1 << 20, Row);
        probe.Store("a", codes, magnitudes, Layers, States(100));
        var entry = probe.Stats.Bytes;
        var cache = new HistoryStateCache((2 * entry) + (entry / 2), Row);

        cache.Store("a", codes, magnitudes, Layers, States(100));
        cache.Store("b", codes, magnitudes, Layers, States(100));
        Assert.Equal(100, cache.CopyKnown("a", codes, magnitudes, Layers, new float[100 * Row])); // a is now the newer
        cache.Store("c", codes, magnitudes, Layers, States(100));

        Assert.Equal(0, cache.CopyKnown("b", codes, magnitudes, Layers, new float[100 * Row]));
        Assert.Equal(100, cache.CopyKnown("a", codes, magnitudes, Layers, new float[100 * Row]));
        Assert.Equal(100, cache.CopyKnown("c", codes, magnitudes, Layers, new float[100 * Row]));
        Assert.Equal(2, cache.Stats.Entries);
        Assert.InRange(cache.Stats.Bytes, 1, cache.CapacityBytes);

        var small = new HistoryStateCache(entry / 2, Row);
        small.Store("a", codes, magnitudes, Layers, States(100));
        Assert.Equal((0L, 0L), (small.Stats.Entries, small.Stats.Bytes));
    }

    [Fact]
    public void States_that_do_not_fit_the_codes_are_refused()
    {
        var cache = new HistoryStateCache(1 << 20, Row);
        var (codes, magnitudes) = History(4);
        Assert.Throws<ArgumentException>(() => cache.Store("u", codes, magnitudes, Layers, States(3)));
        Assert.Throws<ArgumentException>(() => cache.CopyKnown("u", codes, magnitudes, Layers, new float[3 * Row]));
    }

    private static (ushort[] Codes, Half[] Magnitudes) History(int events) =>
        ([.. Enumerable.Range(0, events * Layers).Select(i => (ushort)(i * 7 % 13))],
         [.. Enumerable.Range(0, events * Layers).Select(i => (Half)(1 + (i % 5)))]);

    private static float[] States(int events) => [.. Enumerable.Range(0, events * Row).Select(i => (float)i + 1)];
}
