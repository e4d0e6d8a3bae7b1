using HyMiRec.Grains.Users;

namespace HyMiRec.UnitTests.Users;

public sealed class RecomputePolicyTests
{
    private static ClickEvent[] Clicks(int n) =>
        [.. Enumerable.Range(0, n).Select(i => new ClickEvent("u", "i", DateTimeOffset.UnixEpoch, "click", null))];

    [Fact]
    public void Throttled_starts_one_timer_and_recomputes_at_once_past_the_event_threshold()
    {
        var policy = new RecomputePolicy(new UsersOptions { RecomputeMode = RecomputeMode.Throttled, RecomputeEveryEvents = 4 });
        policy.Arrived(Clicks(1), 1, DateTimeOffset.UtcNow);
        Assert.Equal(RecomputeDecision.StartTimer, policy.Decide(1, timerRunning: false));
        policy.Arrived(Clicks(2), 3, DateTimeOffset.UtcNow);
        Assert.Equal(RecomputeDecision.None, policy.Decide(3, timerRunning: true));
        policy.Arrived(Clicks(1), 4, DateTimeOffset.UtcNow);
        Assert.Equal(RecomputeDecision.Now, policy.Decide(4, timerRunning: true));

        policy.Covered(4, DateTimeOffset.UtcNow);
        Assert.Equal(RecomputeDecision.None, policy.Decide(4, timerRunning: false));
    }

    [Fact]
    public void Clicks_that_arrive_during_a_pass_keep_the_user_pending_until_a_pass_covers_them()
    {
        var policy = new RecomputePolicy(new UsersOptions { RecomputeMode = RecomputeMode.EveryEvent });
        policy.Arrived(Clicks(2), 2, DateTimeOffset.UtcNow);
        Assert.True(policy.Pending(2, null));
        policy.Arrived(Clicks(3), 5, DateTimeOffset.UtcNow);
        policy.Covered(2, DateTimeOffset.UtcNow);

        Assert.True(policy.Pending(5, 2));
        Assert.False(policy.Pending(5, 5));
        Assert.False(new RecomputePolicy(new UsersOptions { RecomputeMode = RecomputeMode.OnRead }).Pending(5, null));
    }

    [Fact]
    public void A_read_recomputes_only_without_interests_after_a_model_change_or_when_OnRead_interests_lag()
    {
        var everyEvent = new RecomputePolicy(new UsersOptions { RecomputeMode = RecomputeMode.EveryEvent });
        Assert.True(everyEvent.MustRecomputeForRead(3, null, null, "m1"));
        Assert.True(everyEvent.MustRecomputeForRead(3, 3, "m0", "m1"));
        Assert.False(everyEvent.MustRecomputeForRead(3, 2, "m1", "m1"));

        var onRead = new RecomputePolicy(new UsersOptions { RecomputeMode = RecomputeMode.OnRead });
        Assert.True(onRead.MustRecomputeForRead(3, 2, "m1", "m1"));
        Assert.False(onRead.MustRecomputeForRead(3, 3, "m1", "m1"));
    }

    [Fact]
    public void Recommendations_use_held_interests_of_the_current_model_unless_nothing_recomputes_on_ingest()
    {
        var throttled = new RecomputePolicy(new UsersOptions { RecomputeMode = RecomputeMode.Throttled });
        Assert.True(throttled.CanServeHeld("m1", "m1"));
        Assert.False(throttled.CanServeHeld("m0", "m1"));
        Assert.False(throttled.CanServeHeld(null, "m1"));
        Assert.False(new RecomputePolicy(new UsersOptions { RecomputeMode = RecomputeMode.OnRead }).CanServeHeld("m1", "m1"));
    }

    [Fact]
    public void Clicks_for_another_user_or_with_bad_item_ids_are_refused_for_good()
    {
        var click = new ClickEvent("u", "item-1", DateTimeOffset.UnixEpoch, "click", null);
        Assert.Null(ClickChecks.Problem(click, "u"));
        Assert.Contains("sent to user 'v'", ClickChecks.Problem(click, "v"), StringComparison.Ordinal);
        Assert.NotNull(ClickChecks.Problem(click with { ItemId = "" }, "u"));
        Assert.True(ClickChecks.IsRefusal(new FormatException()));
        Assert.False(ClickChecks.IsRefusal(new TimeoutException()));
    }
}
