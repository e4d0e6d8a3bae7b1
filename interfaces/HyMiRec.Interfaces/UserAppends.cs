using HyMiRec.Events;

namespace HyMiRec.Interfaces;

/// <summary>Fan-out of a click batch to the user grains: one <see cref="IUserGrain.AppendAsync"/> per user, in parallel.</summary>
public static class UserAppends
{
    /// <summary>One result per user, in the order of <see cref="ClicksByUser.Split"/>.</summary>
    public static Task<AppendResult[]> AppendByUserAsync(this IGrainFactory grains, IReadOnlyList<ClickEvent> events) =>
        Task.WhenAll(ClicksByUser.Split(events).Select(u => grains.GetGrain<IUserGrain>(u.UserId).AppendAsync(u.Clicks)));
}
