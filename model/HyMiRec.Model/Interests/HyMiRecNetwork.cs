using static TorchSharp.torch;

namespace HyMiRec.Model.Interests;

/// <summary>The trainable parts of HyMiRec: item tower, lightweight (coarse) and refined recommenders.</summary>
public sealed class HyMiRecNetwork : nn.Module
{
    private readonly ItemTower _itemTower;
    private readonly CoarseRecommender? _coarse;
    private readonly RefinedRecommender _refined;

    public HyMiRecNetwork(HyMiRecOptions options, int itemCount, int vocabularySize)
        : base(nameof(HyMiRecNetwork))
    {
        options.Validate();
        Options = options;
        ItemCount = itemCount;
        _itemTower = new ItemTower(options, itemCount, vocabularySize);
        _coarse = options.UseCoarse ? new CoarseRecommender(options) : null;
        _refined = new RefinedRecommender(options);
        RegisterComponents();
    }

    public HyMiRecOptions Options { get; }

    public int ItemCount { get; }

    /// <param name="tokenIds">[N + 1, T] catalog token ids.</param>
    /// <returns>[N + 1, D] item embeddings.</returns>
    public Tensor ItemTable(Tensor tokenIds) => _itemTower.forward(tokenIds);

    /// <summary>Embeddings of the items <paramref name="ids"/> only (see <see cref="ItemTower.Rows"/>).</summary>
    /// <param name="rows">[U, T] their token rows (or [U, H] pretrained features).</param>
    /// <param name="ids">[U] item indices.</param>
    /// <param name="centre">[C] indices into the U rows whose mean text summary is subtracted.</param>
    /// <returns>[U, D]</returns>
    public Tensor ItemRows(Tensor rows, Tensor ids, Tensor centre) => _itemTower.Rows(rows, ids, centre);

    /// <summary>Raw text summaries of the whole catalog [N + 1, D], or null without the text encoder (see <see cref="ItemTower.TextSummaries"/>).</summary>
    public Tensor? ItemTextSummaries(Tensor tokens) => _itemTower.TextSummaries(tokens);

    /// <summary>A step's rows with negatives' text from a cache (see <see cref="ItemTower.RowsWithCachedText"/>).</summary>
    public Tensor ItemRowsWithCachedText(Tensor liveRows, Tensor ids, Tensor live, Tensor cachedText, Tensor cachedMean) =>
        _itemTower.RowsWithCachedText(liveRows, ids, live, cachedText, cachedMean);

    /// <summary>Rows with cached text and live ids (see <see cref="ItemTower.CachedRows"/>).</summary>
    public Tensor ItemCachedRows(Tensor ids, Tensor cachedText, Tensor cachedMean) => _itemTower.CachedRows(ids, cachedText, cachedMean);

    /// <summary>Coarse then refined interests for K cut points per row.</summary>
    /// <param name="history">[B, H, D] long-history embeddings (codebook reconstructions or raw).</param>
    /// <param name="historyValid">[B, H]</param>
    /// <param name="historyCuts">[B, K] last history index the coarse queries of each cut may read.</param>
    /// <param name="recent">[B, T, D] raw embeddings of the latest items.</param>
    /// <param name="recentValid">[B, T]</param>
    /// <param name="recentCuts">[B, K] last recent index of each cut.</param>
    /// <returns>Coarse [B, K, c, D] (null without the lightweight recommender) and refined [B, K, s, D].</returns>
    public (Tensor? Coarse, Tensor Refined) Interests(
        Tensor history, Tensor historyValid, Tensor historyCuts, Tensor recent, Tensor recentValid, Tensor recentCuts)
    {
        var prefix = CoarsePrefix(history, historyValid, historyCuts);
        return (CoarseInterests(prefix), Refined(recent, recentValid, recentCuts, prefix));
    }

    /// <summary>
    /// <see cref="Interests"/> for serving, with the lightweight recommender's earlier history-token states
    /// (<see cref="CoarseRecommender.RunIncremental"/>): only the newest <paramref name="fresh"/> history tokens are
    /// computed anew. Returns their states too, [B, fresh, blocks - 1, D].
    /// </summary>
    public (Tensor? Coarse, Tensor Refined, Tensor Fresh) InterestsIncremental(
        Tensor history, Tensor historyValid, Tensor historyCuts, Tensor recent, Tensor recentValid, Tensor recentCuts, Tensor known, int fresh)
    {
        var coarse = _coarse ?? throw new InvalidOperationException("this network has no lightweight recommender, so it keeps no history states");
        var (prefix, states) = coarse.RunIncremental(history, historyValid, historyCuts, known, fresh);
        return (CoarseInterests(prefix), Refined(recent, recentValid, recentCuts, prefix), states);
    }

    /// <summary>
    /// <see cref="Interests"/> plus, with <paramref name="withSequence"/>, the refined recommender's item-token outputs
    /// [B, T, D], for the per-position next-item loss, and with <paramref name="withCoarseSequence"/> the lightweight
    /// recommender's history-token outputs [B, H, D], for its own (each null without its flag, or the second without
    /// the lightweight recommender).
    /// </summary>
    public (Tensor? Coarse, Tensor Refined, Tensor? Sequence, Tensor? CoarseSequence) InterestsAndSequence(
        Tensor history, Tensor historyValid, Tensor historyCuts, Tensor recent, Tensor recentValid, Tensor recentCuts,
        bool withCoarseSequence = true, bool withSequence = true)
    {
        (Tensor? prefix, Tensor? coarseSequence) = _coarse is null ? (null, null) : _coarse.Run(history, historyValid, historyCuts, withCoarseSequence);
        var (refined, sequence) = _refined.Run(recent, recentValid, recentCuts, prefix, withSequence);
        return (CoarseInterests(prefix), refined, sequence, coarseSequence);
    }

    /// <summary>
    /// The lightweight recommender alone, as the refined recommender reads it: the c coarse interests, followed with
    /// <see cref="HyMiRecOptions.CoarseStateToken"/> by the history state at each cut; [B, K, c, D] or [B, K, c + 1, D],
    /// null when the lightweight recommender is switched off.
    /// </summary>
    public Tensor? CoarsePrefix(Tensor history, Tensor historyValid, Tensor historyCuts) =>
        _coarse?.forward(history, historyValid, historyCuts);

    /// <summary>The c coarse interests of a prefix [B, K, c(+1), D]: a view, without the state token.</summary>
    private Tensor? CoarseInterests(Tensor? prefix) =>
        prefix is null || !Options.CoarseStateToken ? prefix : prefix[.., .., ..Options.CoarseQueries, ..];

    /// <summary>The refined recommender alone: [B, K, s, D].</summary>
    public Tensor Refined(Tensor recent, Tensor recentValid, Tensor recentCuts, Tensor? coarse) =>
        _refined.forward(recent, recentValid, recentCuts, coarse);
}
