namespace HyMiRec.Model.Serving;

/// <summary>One item's codebook encoding: L codes and L projection magnitudes (float16 on disk and in state).</summary>
public sealed record ItemCode(ushort[] Codes, Half[] Magnitudes);

/// <summary>
/// A user's input, oldest first. <paramref name="HistoryCodes"/> and <paramref name="HistoryMagnitudes"/> are
/// row-major [H, L] (the long history, rebuilt from the codebook); <paramref name="RecentItems"/> are the dense
/// catalog indices of the last n items, read as raw embeddings by the refined recommender. <paramref name="UserKey"/>
/// names whose history this is, so a model with a <see cref="HistoryStateCache"/> can reuse what it computed for that
/// user before; null computes the whole history.
/// </summary>
public sealed record InterestRequest(ushort[] HistoryCodes, Half[] HistoryMagnitudes, int[] RecentItems, string? UserKey = null);

/// <summary>Row-major [c, D] coarse and [s, D] refined interests, L2-normalised rows.</summary>
public sealed record UserInterests(float[] Coarse, float[] Refined);

public readonly record struct ScoredItem(int ItemIndex, float Score);
