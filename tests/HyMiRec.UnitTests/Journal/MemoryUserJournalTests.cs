using HyMiRec.Grains.Journal;

namespace HyMiRec.UnitTests.Journal;

public sealed class MemoryUserJournalTests
{
    private static readonly JournalEvent[] Two = [new("a", 1), new("b", 2)];

    [Fact]
    public async Task Appends_are_conditional_on_the_version_the_writer_saw()
    {
        var journal = new MemoryUserJournal();
        await journal.AppendAsync("u", 0, Two, [new LogPosition(1, 9)]);

        // A second activation that read the empty journal must not interleave its write.
        await Assert.ThrowsAsync<JournalConflictException>(() => journal.AppendAsync("u", 0, Two, []));
        await journal.AppendAsync("u", 2, [new JournalEvent("c", 3)], [new LogPosition(1, 12)]);

        var read = await journal.ReadAsync("u");
        Assert.Equal(["a", "b", "c"], read.Events.Select(e => e.ItemId));
        Assert.Equal((3L, 2), (read.Version, read.Rows));
        Assert.Equal(new LogPosition(1, 12), Assert.Single(read.Offsets));
    }

    [Fact]
    public async Task Compaction_prunes_to_one_row_and_keeps_the_version()
    {
        var journal = new MemoryUserJournal();
        await journal.AppendAsync("u", 0, Two, []);
        await journal.AppendAsync("u", 2, Two, [new LogPosition(0, 4)]);

        await Assert.ThrowsAsync<JournalConflictException>(() => journal.CompactAsync("u", 3, Two, []));
        await journal.CompactAsync("u", 4, [new JournalEvent("b", 2)], [new LogPosition(0, 4)]);

        var read = await journal.ReadAsync("u");
        Assert.Equal((4L, 1, 1), (read.Version, read.Rows, read.Events.Count));
        await journal.AppendAsync("u", 4, Two, []);
        await journal.DeleteAsync("u");
        Assert.Equal(JournalRead.Empty, await journal.ReadAsync("u"));
    }
}
