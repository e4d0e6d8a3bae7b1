using HyMiRec.Grains.Journal;
using HyMiRec.Grains.Users;
using HyMiRec.Model.Serving;

namespace HyMiRec.UnitTests.Users;

public sealed class UserHistoryTests
{
    private static readonly ItemCatalog Catalog = new(["", "i1", "i2", "i3"], ["", "one", "two", "three"]);

    private static ClickEvent Click(string item, int partition, long offset) =>
        new("u", item, DateTimeOffset.FromUnixTimeMilliseconds(1000 + offset), "click", new LogPosition(partition, offset));

    [Fact]
    public void Redelivered_offsets_are_duplicates_and_new_ones_move_the_commit_point()
    {
        var history = UserHistory.FromJournal(new JournalRead([new JournalEvent("i1", 5)], [new LogPosition(0, 10)], 7, 1), cap: 100);
        history.MapTo(Catalog);

        var batch = history.Plan([Click("i2", 0, 10), Click("i3", 0, 11), Click("i3", 0, 11), Click("zz", 1, 0), new ClickEvent("u", "i2", DateTimeOffset.UnixEpoch, "click", null)]);

        Assert.Equal(2, batch.Duplicates);
        Assert.Equal(["i3", "zz", "i2"], batch.Events.Select(e => e.ItemId));
        Assert.Equal([new LogPosition(0, 11), new LogPosition(1, 0)], batch.Offsets.OrderBy(p => p.Partition));
        history.Commit(batch);
        Assert.Equal((10L, 4), (history.Version, history.Count));
        Assert.Equal([1, 3, 0, 2], history.Indices);
        Assert.Empty(history.Plan([Click("i3", 0, 11)]).Events);
    }

    [Fact]
    public void The_cap_trims_memory_at_once_and_storage_by_compaction_after_an_eighth_more()
    {
        var history = new UserHistory(cap: 16);
        history.MapTo(Catalog);
        for (var i = 0; i < 18; i++)
        {
            history.Commit(history.Plan([Click("i1", 0, i)]));
        }

        Assert.Equal(16, history.Count);
        Assert.False(history.NeedsCompaction(maxRows: 100));
        history.Commit(history.Plan([Click("i2", 0, 18)]));
        Assert.True(history.NeedsCompaction(maxRows: 100));

        var (kept, offsets) = history.Snapshot();
        Assert.Equal(16, kept.Length);
        Assert.Equal(new LogPosition(0, 18), Assert.Single(offsets));
        history.Compacted();
        Assert.Equal((1, 16), (history.StoredRows, history.StoredEvents));
        Assert.True(new UserHistory(cap: 16) is { } fresh && !fresh.NeedsCompaction(maxRows: 1));
    }

    [Fact]
    public void A_new_catalog_remaps_every_event_and_unknown_items_stay_out_of_model_input()
    {
        var history = new UserHistory(cap: 10);
        history.MapTo(Catalog);
        history.Commit(history.Plan([Click("i1", 0, 0), Click("i9", 0, 1), Click("i3", 0, 2)]));
        Assert.Equal([1, 3], history.NewestKnown(5));

        history.MapTo(new ItemCatalog(["", "i9", "i3"], ["", "nine", "three"]));
        Assert.Equal([0, 1, 2], history.Indices);
        Assert.Equal([2], history.NewestKnown(1));
    }

    [Fact]
    public void A_strided_window_moves_its_oldest_event_in_steps_and_only_grows_between_them()
    {
        var history = new UserHistory(cap: 16);
        history.MapTo(Catalog);
        int[]? previous = null;
        for (var v = 1; v <= 30; v++)
        {
            history.Commit(history.Plan([Click($"i{1 + ((v - 1) % 3)}", 0, v)]));
            var window = history.Window(maxHistory: 8, stride: 4);

            // Events ever appended are 0 .. v - 1; the window starts at the first multiple of 4 that leaves at most 8.
            var start = Math.Max(0, (v - 8 + 3) / 4 * 4);
            Assert.Equal(Enumerable.Range(start, v - start).Select(k => 1 + (k % 3)), window);
            Assert.InRange(window.Length, Math.Min(v, 5), 8);
            if (previous is not null && window.Length == previous.Length + 1)
            {
                Assert.Equal(previous, window[..^1]); // the kept states of every earlier event stay usable
            }

            Assert.Equal(history.NewestKnown(8), history.Window(maxHistory: 8, stride: 1));
            previous = window;
        }

        history.Commit(history.Plan([Click("i9", 0, 31), Click("i2", 0, 32)])); // an unknown item is not read
        Assert.Equal([.. Enumerable.Range(24, 6).Select(k => 1 + (k % 3)), 2], history.Window(maxHistory: 8, stride: 4));
    }

    [Fact]
    public void A_history_from_the_journal_head_deduplicates_and_appends_without_its_events()
    {
        var history = UserHistory.FromHead(new JournalHead([new LogPosition(0, 10)], Version: 2000, Rows: 4, StoredEvents: 2000), cap: 100);

        var batch = history.Plan([Click("i1", 0, 10), Click("i2", 0, 11)]);
        history.Commit(batch);

        Assert.False(history.IsLoaded);
        Assert.Equal((1, 2001L, 5, 100), (batch.Duplicates, history.Version, history.StoredRows, history.Count));
        Assert.Throws<InvalidOperationException>(() => history.ItemIds);
        Assert.Throws<InvalidOperationException>(() => history.MapTo(Catalog));
    }
}
