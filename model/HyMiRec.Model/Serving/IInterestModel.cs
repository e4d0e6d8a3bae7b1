namespace HyMiRec.Model.Serving;

/// <summary>
/// A loaded model as the serving side uses it: the catalog, each catalog item's codebook codes, the batched
/// coarse + refined interest forward pass, and retrieval over the catalog. Implementations are thread-safe and
/// are loaded once per process; callers batch requests themselves.
/// </summary>
public interface IInterestModel : IDisposable
{
    ModelManifest Manifest { get; }

    ItemCatalog Catalog { get; }

    /// <summary>Codebook layers L: codes and magnitudes stored per history event.</summary>
    int CodebookLayers { get; }

    /// <summary>Coarse interests c produced by the lightweight recommender.</summary>
    int CoarseInterests { get; }

    /// <summary>Refined interests s produced by the refined recommender.</summary>
    int RefinedInterests { get; }

    int Dimension { get; }

    /// <summary>How many of the latest raw items the refined recommender reads (n).</summary>
    int RecentLength { get; }

    /// <summary>How many history events the coarse recommender reads at most (older ones are ignored).</summary>
    int MaxHistory { get; }

    /// <summary>Codes and magnitudes (L each) of catalog item <paramref name="itemIndex"/> (1..ItemCount).</summary>
    ItemCode GetItemCode(int itemIndex);

    /// <summary>What the model's per-user history states have saved so far (zero where it keeps none).</summary>
    HistoryStateStats HistoryStates => default;

    /// <summary>One forward pass for a batch of users; the result at i belongs to request i.</summary>
    IReadOnlyList<UserInterests> ComputeInterests(IReadOnlyList<InterestRequest> batch);

    /// <summary>Top <paramref name="k"/> catalog items by best cosine over <paramref name="interests"/>, skipping <paramref name="exclude"/>.</summary>
    IReadOnlyList<ScoredItem> Recommend(UserInterests interests, int k, IReadOnlySet<int>? exclude = null);
}
