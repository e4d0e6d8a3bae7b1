using System.ComponentModel.DataAnnotations;

namespace HyMiRec.Grains.Users;

/// <summary>Configuration section "Users": per-user state and the recompute policy.</summary>
public sealed class UsersOptions
{
    public const string Section = "Users";

    /// <summary>History events kept per user; older ones are dropped (the model reads at most its MaxHistory anyway).</summary>
    [Range(1, 1_000_000)]
    [Display(Name = Section + ":" + nameof(HistoryCap))]
    public int HistoryCap { get; set; } = 2048;

    /// <summary>
    /// For users past the model's MaxHistory events: the oldest event the model reads moves only every this many
    /// events, so it reads between MaxHistory - stride + 1 and MaxHistory of the newest, and a recompute after a click
    /// can reuse the kept history states (Inference:HistoryCacheMegabytes) instead of a whole pass. 0 (default) = a
    /// sixteenth of the model's MaxHistory (64 at 1,024; measured to cost no quality, docs/benchmarks-kafka.md);
    /// 1 = the newest MaxHistory exactly, as in training, with a whole pass on every click past MaxHistory.
    /// </summary>
    [Range(0, 1_000_000)]
    [Display(Name = Section + ":" + nameof(HistoryWindowStride))]
    public int HistoryWindowStride { get; set; }

    /// <summary>Raw recent items sent to the refined recommender; 0 = the model's own n.</summary>
    [Range(0, 10_000)]
    [Display(Name = Section + ":" + nameof(RecentItems))]
    public int RecentItems { get; set; }

    /// <summary>Journal rows per user after which they are merged into one (bounds what an activation reads).</summary>
    [Range(1, 100_000)]
    [Display(Name = Section + ":" + nameof(CompactAfterRows))]
    public int CompactAfterRows { get; set; } = 64;

    public RecomputeMode RecomputeMode { get; set; } = RecomputeMode.Throttled;

    [Range(1, 3_600_000)]
    [Display(Name = Section + ":" + nameof(RecomputeIntervalMs))]
    public int RecomputeIntervalMs { get; set; } = 1000;

    [Range(1, 1_000_000)]
    [Display(Name = Section + ":" + nameof(RecomputeEveryEvents))]
    public int RecomputeEveryEvents { get; set; } = 32;

    /// <summary>Leave items the user already clicked out of recommendations.</summary>
    public bool ExcludeSeen { get; set; } = true;

    [Range(1, 100_000)]
    [Display(Name = Section + ":" + nameof(MaxHistoryLimit))]
    public int MaxHistoryLimit { get; set; } = 1000;

    [Range(1, 10_000)]
    [Display(Name = Section + ":" + nameof(MaxRecommendations))]
    public int MaxRecommendations { get; set; } = 500;
}
