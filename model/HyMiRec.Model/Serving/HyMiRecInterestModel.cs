using System.Runtime.InteropServices;
using HyMiRec.Model.Codebooks;
using HyMiRec.Model.Interests;
using TorchSharp;
using static TorchSharp.torch;

namespace HyMiRec.Model.Serving;

/// <summary>
/// A trained HyMiRec artifact in memory: the network in eval mode, the catalog's final item table (read by the refined
/// recommender and used for retrieval), the codebook and every item's codes. Forward passes are serialised by a lock;
/// TorchSharp already spreads one pass over all cores.
/// </summary>
public sealed class HyMiRecInterestModel : IInterestModel
{
    private readonly HyMiRecNetwork _network;
    private readonly Tensor _itemTable;
    private readonly ItemIndex _items;
    private readonly IItemQuantizer _codebook;
    private readonly ItemCode[] _itemCodes;
    private readonly Lock _gate = new();
    private readonly HistoryStateCache? _states;

    [ThreadStatic]
    private static float[]? _knownBuffer;

    internal HyMiRecInterestModel(ModelManifest manifest, ItemCatalog catalog, HyMiRecNetwork network, Tensor itemTable,
        IItemQuantizer codebook, QuantizedItems catalogCodes, long historyCacheBytes)
    {
        Manifest = manifest;
        Catalog = catalog;
        _network = network;
        _network.eval();
        _itemTable = itemTable;
        using (NewDisposeScope())
        {
            _items = new ItemIndex(nn.functional.normalize(itemTable, dim: -1).cpu().contiguous().data<float>().ToArray(), (int)itemTable.shape[1]); // [N + 1, D]
        }

        _codebook = codebook;
        _itemCodes = new ItemCode[catalog.ItemCount + 1];
        _itemCodes[0] = new ItemCode([], []);
        for (var i = 1; i <= catalog.ItemCount; i++)
        {
            var codes = new ushort[codebook.Layers];
            var magnitudes = new Half[catalogCodes.Magnitudes is null ? 0 : codebook.Layers];
            for (var l = 0; l < codebook.Layers; l++)
            {
                codes[l] = (ushort)catalogCodes.GetCode(i, l);
                if (magnitudes.Length > 0)
                {
                    magnitudes[l] = catalogCodes.Magnitudes![(i * codebook.Layers) + l];
                }
            }

            _itemCodes[i] = new ItemCode(codes, magnitudes);
        }

        // With one coarse block the last block is the only one, and it already computes only the rows it reads.
        _states = historyCacheBytes > 0 && Options.UseCoarse && Options.CoarseBlocks > 1
            ? new HistoryStateCache(historyCacheBytes, (Options.CoarseBlocks - 1) * Options.Dimension)
            : null;
    }

    public ModelManifest Manifest { get; }

    public ItemCatalog Catalog { get; }

    public HyMiRecOptions Options => _network.Options;

    public int CodebookLayers => _codebook.Layers;

    public int CoarseInterests => Options.UseCoarse ? Options.CoarseQueries : 0;

    public int RefinedInterests => Options.RefinedQueries;

    public int Dimension => Options.Dimension;

    public int RecentLength => Options.RecentLength;

    public int MaxHistory => Options.MaxHistory;

    public HistoryStateStats HistoryStates => _states?.Stats ?? default;

    public ItemCode GetItemCode(int itemIndex) =>
        itemIndex >= 1 && itemIndex <= Catalog.ItemCount ? _itemCodes[itemIndex]
            : throw new ArgumentOutOfRangeException(nameof(itemIndex), $"item index {itemIndex} is not in 1..{Catalog.ItemCount}");

    /// <summary>The request for a plain item history (oldest first): its codes, and its newest items as recent items.</summary>
    public InterestRequest RequestFor(int[] items)
    {
        var history = HistoryWindow.Newest(items, MaxHistory);
        return new InterestRequest(
            [.. history.SelectMany(i => GetItemCode(i).Codes)],
            [.. history.SelectMany(i => GetItemCode(i).Magnitudes)],
            HistoryWindow.Newest(history, RecentLength));
    }

    public IReadOnlyList<UserInterests> ComputeInterests(IReadOnlyList<InterestRequest> batch)
    {
        if (batch.Count == 0)
        {
            return [];
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var history = ServingBatch.History(batch, _codebook, MaxHistory, Dimension); // [B, H, D], [B, H]
        var recent = ServingBatch.Recent(batch, _itemTable, RecentLength, Catalog.ItemCount); // [B, R, D], [B, R]
        var b = batch.Count;
        using var historyCut = (history.Embeddings.shape[1] - 1 - Options.CoarseLag).ToScalar(); // held past the native calls (see Scalars)
        using var recentCut = (recent.Embeddings.shape[1] - 1).ToScalar();
        var historyCuts = full(b, 1, historyCut, dtype: ScalarType.Int64);
        var recentCuts = full(b, 1, recentCut, dtype: ScalarType.Int64);
        Tensor? coarse;
        Tensor refined;
        if (_states is not null && batch.Any(r => r.UserKey is not null))
        {
            (coarse, refined) = Incremental(_states, batch, history, recent, historyCuts, recentCuts);
        }
        else
        {
            lock (_gate)
            {
                (coarse, refined) = _network.Interests(history.Embeddings, history.Valid, historyCuts, recent.Embeddings, recent.Valid, recentCuts);
            }
        }

        var refinedRows = refined.squeeze(1).contiguous().data<float>().ToArray(); // [B, s, D]
        var coarseRows = coarse is null ? [] : nn.functional.normalize(coarse.squeeze(1), dim: -1).contiguous().data<float>().ToArray();
        var refinedSize = RefinedInterests * Dimension;
        var coarseSize = CoarseInterests * Dimension;
        var result = new UserInterests[b];
        for (var i = 0; i < b; i++)
        {
            result[i] = new UserInterests(
                coarseRows.Length == 0 ? [] : coarseRows[(i * coarseSize)..((i + 1) * coarseSize)],
                refinedRows[(i * refinedSize)..((i + 1) * refinedSize)]);
        }

        return result;
    }

    /// <summary>
    /// The pass with the users' kept history states: each keyed request reuses the states of the leading events it
    /// shares with its entry, the pass computes the newest events that any request lacks, and the entries are updated.
    /// </summary>
    private (Tensor? Coarse, Tensor Refined) Incremental(HistoryStateCache states, IReadOnlyList<InterestRequest> batch,
        (Tensor Embeddings, Tensor Valid) history, (Tensor Embeddings, Tensor Valid) recent, Tensor historyCuts, Tensor recentCuts)
    {
        var (b, width, row) = (batch.Count, (int)history.Embeddings.shape[1], states.RowWidth);
        var layers = CodebookLayers;
        var size = b * width * row;
        if (_knownBuffer is null || _knownBuffer.Length < size)
        {
            _knownBuffer = new float[Math.Max(size, (_knownBuffer?.Length ?? 0) * 2)];
        }

        // One buffer per thread, reused: a pass over long histories would otherwise allocate megabytes each time.
        var known = _knownBuffer.AsSpan(0, size);
        known.Clear();
        var windows = new (int Skip, int Events)[b];
        var fresh = 0;
        for (var i = 0; i < b; i++)
        {
            var events = batch[i].HistoryCodes.Length / layers;
            windows[i] = (events - HistoryWindow.Length(events, MaxHistory), HistoryWindow.Length(events, MaxHistory));
            var reused = batch[i].UserKey is not { } key ? 0 : states.CopyKnown(key, Codes(batch[i], windows[i]), Magnitudes(batch[i], windows[i]), layers,
                known.Slice(((i * width) + width - windows[i].Events) * row, windows[i].Events * row));
            fresh = Math.Max(fresh, windows[i].Events - reused);
        }

        var knownStates = empty(b, width, Options.CoarseBlocks - 1, Dimension); // [B, H, blocks - 1, D]
        known.CopyTo(MemoryMarshal.Cast<byte, float>(knownStates.bytes));
        Tensor? coarse;
        Tensor refined;
        Tensor computed; // [B, F, blocks - 1, D]
        lock (_gate)
        {
            (coarse, refined, computed) = _network.InterestsIncremental(history.Embeddings, history.Valid, historyCuts,
                recent.Embeddings, recent.Valid, recentCuts, knownStates, fresh);
        }

        // Only the fresh rows are new; the rows before them are what the cache gave, still in `known`.
        var freshRows = MemoryMarshal.Cast<byte, float>(computed.contiguous().bytes); // [B, F, blocks - 1, D]
        for (var i = 0; i < b; i++)
        {
            if (batch[i].UserKey is { } key)
            {
                freshRows.Slice(i * fresh * row, fresh * row).CopyTo(known[(((i * width) + width - fresh) * row)..]);
                states.Store(key, Codes(batch[i], windows[i]), Magnitudes(batch[i], windows[i]), layers,
                    known.Slice(((i * width) + width - windows[i].Events) * row, windows[i].Events * row));
            }
        }

        return (coarse, refined);
    }

    private ReadOnlySpan<ushort> Codes(InterestRequest request, (int Skip, int Events) window) =>
        request.HistoryCodes.AsSpan(window.Skip * CodebookLayers, window.Events * CodebookLayers);

    private ReadOnlySpan<Half> Magnitudes(InterestRequest request, (int Skip, int Events) window) =>
        request.HistoryMagnitudes.Length == 0 ? [] : request.HistoryMagnitudes.AsSpan(window.Skip * CodebookLayers, window.Events * CodebookLayers);

    public IReadOnlyList<ScoredItem> Recommend(UserInterests interests, int k, IReadOnlySet<int>? exclude = null)
    {
        if (k <= 0 || interests.Refined.Length != RefinedInterests * Dimension)
        {
            throw new ArgumentException($"k must be positive and interests must hold {RefinedInterests}x{Dimension} values");
        }

        return _items.Top(interests.Refined, k, exclude);
    }

    public void Dispose()
    {
        _network.Dispose();
        _itemTable.Dispose();
        (_codebook as IDisposable)?.Dispose();
    }
}
