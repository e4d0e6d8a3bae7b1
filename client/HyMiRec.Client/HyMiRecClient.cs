using HyMiRec.Events;
using HyMiRec.Interfaces;

namespace HyMiRec.Client;

/// <summary>Typed calls on the serving cluster; ids are checked here so mistakes fail before a network hop.</summary>
public sealed class HyMiRecClient(IGrainFactory grains)
{
    public Task<UserInterestsView?> GetInterestsAsync(string userId) => User(userId).GetInterestsAsync();

    public Task<IReadOnlyList<HistoryEntryView>> GetHistoryAsync(string userId, int limit = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return User(userId).GetHistoryAsync(limit);
    }

    public Task<IReadOnlyList<RecommendationView>> GetRecommendationsAsync(string userId, int k = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        return User(userId).GetRecommendationsAsync(k);
    }

    /// <summary>Deletes the user's history and every stored trace of them.</summary>
    public Task DeleteUserAsync(string userId) => User(userId).DeleteAsync();

    /// <summary>Appends clicks, grouped per user (one grain call each).</summary>
    public async Task<AppendResult> AppendAsync(IReadOnlyList<ClickEvent> events)
    {
        foreach (var e in events)
        {
            UserIds.Validate(e.UserId);
        }

        var results = await grains.AppendByUserAsync(events).ConfigureAwait(false);
        return new AppendResult(results.Sum(r => r.Applied), results.Sum(r => r.Duplicates), results.Sum(r => r.UnknownItems), results.Sum(r => r.HistoryLength));
    }

    private IUserGrain User(string userId)
    {
        UserIds.Validate(userId);
        return grains.GetGrain<IUserGrain>(userId);
    }
}
