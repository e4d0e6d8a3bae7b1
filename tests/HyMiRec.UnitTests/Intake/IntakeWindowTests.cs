using HyMiRec.Grains.Intake;
using Microsoft.Extensions.Time.Testing;

namespace HyMiRec.UnitTests.Intake;

public sealed class IntakeWindowTests
{
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void An_id_is_remembered_until_the_window_has_passed_since_it_was_recorded()
    {
        var window = new IntakeWindow(Day, maxIds: 100, _clock);
        Assert.True(window.Record("a"));
        _clock.Advance(Day - TimeSpan.FromSeconds(1));
        Assert.True(window.Contains("a"));
        Assert.False(window.Record("a"));

        // A repeat does not extend the window: it counts from the first record.
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(window.Contains("a"));
        Assert.Equal(0, window.Count);
        Assert.True(window.Record("a"));
    }

    [Fact]
    public void Past_the_size_bound_the_oldest_ids_are_forgotten_first()
    {
        var window = new IntakeWindow(Day, maxIds: 3, _clock);
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            window.Record(id);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(3, window.Count);
        Assert.False(window.Contains("a"));
        Assert.True(window.Contains("b"));
        Assert.True(window.Contains("d"));
        Assert.Equal(["b", "c", "d"], window.Snapshot().Select(s => s.EventId));
    }

    [Fact]
    public void A_restored_snapshot_keeps_its_times_and_drops_what_expired_or_overflows_meanwhile()
    {
        var first = new IntakeWindow(Day, maxIds: 100, _clock);
        first.Record("old");
        _clock.Advance(TimeSpan.FromHours(2));
        first.Record("mid");
        _clock.Advance(TimeSpan.FromHours(1));
        first.Record("new");
        var stored = first.Snapshot();

        _clock.Advance(TimeSpan.FromHours(22));
        var restored = new IntakeWindow(Day, maxIds: 100, _clock, stored);
        Assert.False(restored.Contains("old"));
        Assert.True(restored.Contains("mid"));
        Assert.True(restored.Contains("new"));

        // A smaller bound than when it was stored (a configuration change) keeps the newest.
        var smaller = new IntakeWindow(Day, maxIds: 1, _clock, stored);
        Assert.Equal(["new"], smaller.Snapshot().Select(s => s.EventId));
    }

    [Fact]
    public void The_documented_defaults_are_a_day_and_4096_ids()
    {
        var options = new IntakeOptions();
        Assert.Equal(Day, options.Window);
        Assert.Equal(4096, options.MaxIdsPerUser);
    }
}
