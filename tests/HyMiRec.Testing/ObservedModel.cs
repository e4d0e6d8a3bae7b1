using HyMiRec.Model.Serving;

namespace HyMiRec.Testing;

/// <summary>
/// A served model that counts its forward passes, remembers which thread ran the last one, and can hold passes at
/// a gate (closed: every pass waits until <see cref="Open"/>), so a test can act while a pass is running.
/// </summary>
public sealed class ObservedModel(IInterestModel inner) : IInterestModel
{
    private readonly ManualResetEventSlim _gate = new(initialState: true);
    private readonly SemaphoreSlim _started = new(0);
    private int _passes;

    public int Passes => Volatile.Read(ref _passes);

    public void Close() => _gate.Reset();

    public void Open() => _gate.Set();

    /// <summary>Completes when a pass has started (and, with the gate closed, is waiting at it).</summary>
    public Task WhenPassStartedAsync() => _started.WaitAsync(TimeSpan.FromSeconds(60)).ContinueWith(t => Assert.True(t.Result, "no forward pass started"), TaskScheduler.Default);

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
        Interlocked.Increment(ref _passes);
        _started.Release();
        _gate.Wait(TimeSpan.FromSeconds(60));
        return inner.ComputeInterests(batch);
    }

    public IReadOnlyList<ScoredItem> Recommend(UserInterests interests, int k, IReadOnlySet<int>? exclude = null) => inner.Recommend(interests, k, exclude);

    public void Dispose()
    {
        inner.Dispose();
        _gate.Dispose();
        _started.Dispose();
    }
}
