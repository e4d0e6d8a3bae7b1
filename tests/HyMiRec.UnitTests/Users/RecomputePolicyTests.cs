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
}
