using HyMiRec.Grains.Intake;
using HyMiRec.Interfaces;
using Microsoft.Extensions.Time.Testing;

namespace HyMiRec.UnitTests.Intake;

/// <summary>The intake grain's per-call decisions (deduplication, refusals, what the window remembers), without a silo.</summary>
public sealed class IntakeBatchTests
{
    private readonly IntakeWindow _window = new(TimeSpan.FromHours(24), maxIds: 100, new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero)));

    private static ClickEvent Click(string? eventId, string user = "u1", string item = "i1") =>
        new(user, item, new DateTimeOffset(2026, 3, 1, 7, 0, 0, TimeSpan.Zero), "click", null, null, eventId);

    [Fact]
    public void Ids_in_the_window_or_repeated_within_the_call_are_duplicates_and_the_rest_go_to_the_log_in_order()
    {
        Assert.True(_window.Record("seen"));
        var batch = IntakeBatch.Plan("u1", [Click("a"), Click("seen"), Click("b"), Click("a"), Click(null)], _window, () => "generated");

        Assert.Equal(["a", "seen", "b", "a", "generated"], batch.Ids);
        Assert.Equal(IntakeStatus.Duplicate, batch.Statuses[1]);
        Assert.Equal(IntakeStatus.Duplicate, batch.Statuses[3]);
        Assert.Equal<string?>(["a", "b", "generated"], batch.Fresh.Select(c => c.EventId));
    }

    [Fact]
    public void Clicks_without_an_id_are_never_duplicates_and_their_generated_ids_are_not_remembered()
    {
        var next = 0;
        var batch = IntakeBatch.Plan("u1", [Click(null), Click(null)], _window, () => "g" + next++);

        Assert.Equal(2, batch.Fresh.Count);
        Assert.Empty(batch.Delivered([true, true]));
        Assert.All(batch.Statuses, s => Assert.Equal(IntakeStatus.Accepted, s));
    }

    [Fact]
    public void Only_delivered_clicks_are_accepted_and_remembered_so_a_retry_adds_just_the_rest()
    {
        var batch = IntakeBatch.Plan("u1", [Click("a"), Click("b"), Click("dup"), Click("dup"), Click("c")], _window);

        var remember = batch.Delivered([true, false, true, false]);

        Assert.Equal(["a", "dup"], remember);
        Assert.Equal([IntakeStatus.Accepted, IntakeStatus.Failed, IntakeStatus.Accepted, IntakeStatus.Duplicate, IntakeStatus.Failed], batch.Statuses);
    }

    [Fact]
    public void A_click_for_another_user_or_with_a_malformed_id_refuses_the_whole_call()
    {
        var other = Assert.Throws<ArgumentException>(() => IntakeBatch.Plan("u1", [Click("a"), Click("b", user: "u2")], _window));
        Assert.Contains("click 1 is for user 'u2'", other.Message, StringComparison.Ordinal);

        var malformed = Assert.Throws<ArgumentException>(() => IntakeBatch.Plan("u1", [Click(new string('x', 10_000))], _window));
        Assert.StartsWith("click 0:", malformed.Message, StringComparison.Ordinal);
        Assert.Equal(0, _window.Count);
    }
}
