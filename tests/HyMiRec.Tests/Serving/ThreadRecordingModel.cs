using HyMiRec.Model.Serving;

namespace HyMiRec.Tests.Serving;

/// <summary>A served model that remembers which thread ran its last forward pass.</summary>
internal sealed class ThreadRecordingModel(IInterestModel inner) : IInterestModel
{
    public string? ThreadName { get; private set; }

    public bool OnThreadPool { get; private set; }

    public ModelManifest Manifest => inner.Manifest;

    public ItemCatalog Catalog => inner.Catalog;

    public int CodebookLayers => inner.CodebookLayers;

    public int CoarseInterests => inner.CoarseInterests;

    public int RefinedInterests => inner.RefinedInterests;

    public int Dimension => inner.Dimension;

    public int RecentLength => inner.RecentLength;

    public int MaxHistory => inner.MaxHistory;

    public ItemCode GetItemCode(int itemIndex) => inner.GetItemCode(itemIndex);

    public IReadOnlyList<UserInterests> ComputeInterests(IReadOnlyList<InterestRequest> batch)
    {
        ThreadName = Thread.CurrentThread.Name;
        OnThreadPool = Thread.CurrentThread.IsThreadPoolThread;
        return inner.ComputeInterests(batch);
    }

    public IReadOnlyList<ScoredItem> Recommend(UserInterests interests, int k, IReadOnlySet<int>? exclude = null) => inner.Recommend(interests, k, exclude);

    public void Dispose() => inner.Dispose();
}
