using HyMiRec.Events;

namespace HyMiRec.Interfaces;

/// <summary>One user (key = user id): click history, current interests and recommendations.</summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Appends clicks (all for this user); events whose <see cref="ClickEvent.Source"/> was applied already are skipped.</summary>
    Task<AppendResult> AppendAsync(IReadOnlyList<ClickEvent> events);

    /// <summary>The current interests, computed first if none exist for the loaded model; null for a user without history.</summary>
    Task<UserInterestsView?> GetInterestsAsync();

    /// <summary>The newest <paramref name="limit"/> events, newest first.</summary>
    Task<IReadOnlyList<HistoryEntryView>> GetHistoryAsync(int limit);

    Task<IReadOnlyList<RecommendationView>> GetRecommendationsAsync(int k);

    /// <summary>Removes the user's history, interests and every stored trace of them.</summary>
    Task DeleteAsync();
}
