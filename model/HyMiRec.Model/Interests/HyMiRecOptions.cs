using System.Globalization;
using HyMiRec.Model.Codebooks;

namespace HyMiRec.Model.Interests;

/// <summary>How the s refined interests are paired with the s target groups in DMIL.</summary>
public enum InterestMatching
{
    /// <summary>Maximum total cosine over all one-to-one pairings (the paper's choice).</summary>
    Hungarian,

    /// <summary>Each group takes its most similar interest on its own; two groups may share one (ablation).</summary>
    Max,
}

/// <summary>Where the item tower's text embedding comes from.</summary>
public enum TextSource
{
    /// <summary>A small text encoder trained with the model over a vocabulary built from the catalog.</summary>
    Catalog,

    /// <summary>Features of a frozen pretrained LLaMA checkpoint, computed once; only a projection is trained.</summary>
    Pretrained,
}

/// <summary>
/// Every size of the HyMiRec model is a setting, so the same code runs a small CPU model here and a large one on a
/// GPU. Defaults are the small model used on MovieLens-100K on 2 CPU cores.
/// </summary>
public sealed record HyMiRecOptions
{
    /// <summary>Item and interest embedding width D.</summary>
    public int Dimension { get; init; } = 64;

    public int Heads { get; init; } = 2;

    public double Dropout { get; init; } = 0.2;

    /// <summary>Item tower: a text encoder over item text (title + genres) with a summary token.</summary>
    public bool UseText { get; init; } = true;

    /// <summary>Item tower: a learned per-item id embedding added to the text embedding.</summary>
    public bool UseIdEmbedding { get; init; } = true;

    public TextSource TextSource { get; init; } = TextSource.Catalog;

    /// <summary>H: width of the pretrained text features (the checkpoint's hidden size); used with <see cref="TextSource.Pretrained"/>.</summary>
    public int PretrainedTextWidth { get; init; }

    public int TextBlocks { get; init; } = 1;

    public int MaxTextTokens { get; init; } = 24;

    /// <summary>c: learnable coarse queries of the lightweight recommender.</summary>
    public int CoarseQueries { get; init; } = 4;

    /// <summary>
    /// Causal blocks of the lightweight recommender. Two, as SASRec has: with its state token and next-item loss it is a
    /// SASRec-style pass over the whole history (docs/benchmarks.md, "The coarse-state design as the default").
    /// </summary>
    public int CoarseBlocks { get; init; } = 2;

    /// <summary>Off: the refined recommender sees no coarse interests (ablation "w/o lightweight").</summary>
    public bool UseCoarse { get; init; } = true;

    /// <summary>
    /// On (the default): the coarse queries read the whole history up to the newest event. Off (the paper's layout):
    /// they stop n events short of it (<see cref="CoarseLag"/>), where the refined recommender's raw window begins.
    /// </summary>
    public bool CoarseReadsRecent { get; init; } = true;

    /// <summary>
    /// On (the default): the lightweight recommender's history token at each cut (a causal state over every event up to
    /// it, the one the coarse next-item loss trains to predict the next event) joins the refined prefix as a token after
    /// the c coarse interests, so the refined queries read it directly rather than through the coarse queries. Off: the
    /// paper's prefix. Needs <see cref="UseCoarse"/>.
    /// </summary>
    public bool CoarseStateToken { get; init; } = true;

    /// <summary>Newest events the coarse queries do not read: n (<see cref="RecentWindow"/>), or 0 with <see cref="CoarseReadsRecent"/>.</summary>
    public int CoarseLag => CoarseReadsRecent ? 0 : RecentWindow;

    /// <summary>Longest history the lightweight recommender reads (older events are dropped).</summary>
    public int MaxHistory { get; init; } = 1024;

    /// <summary>Off: the long history uses raw item embeddings instead of codebook reconstructions (ablation).</summary>
    public bool UseCodebook { get; init; } = true;

    public QuantizerKind CodebookKind { get; init; } = QuantizerKind.Cosine;

    public int CodebookLayers { get; init; } = 3;

    public int CodebookCodes { get; init; } = 256;

    /// <summary>Off: coarse interests enter the refined recommender without the learned indicator (ablation).</summary>
    public bool UseIndicator { get; init; } = true;

    /// <summary>
    /// s: learnable refined queries, one per output interest. The paper's default is 2; 3 ranks better here on ML-100K,
    /// ML-1M and planted topics (docs/benchmarks.md, "Seed 1 on ML-1M, and s = 3 with the per-position loss as the default").
    /// </summary>
    public int RefinedQueries { get; init; } = 3;

    public int RefinedBlocks { get; init; } = 2;

    /// <summary>n: the refined recommender's attention window over the latest raw items.</summary>
    public int RecentWindow { get; init; } = 20;

    /// <summary>
    /// Latest raw items the refined queries read directly; 0 reads n (<see cref="RecentWindow"/>), the paper's layout.
    /// Item tokens keep their window n either way, so a longer one lets the interests read further back in raw items
    /// than the item tokens do, at the cost of that many more raw items per request.
    /// </summary>
    public int QueryWindow { get; init; }

    /// <summary>The refined queries' window: <see cref="QueryWindow"/>, or n when it is 0.</summary>
    public int QueryReach => QueryWindow > 0 ? QueryWindow : RecentWindow;

    public int FeedForwardMultiplier { get; init; } = 2;

    public double RopeBase { get; init; } = 10000;

    /// <summary>w: future items per training target window (DMIL).</summary>
    public int TargetWindow { get; init; } = 4;

    public InterestMatching Matching { get; init; } = InterestMatching.Hungarian;

    /// <summary>
    /// Catalogs above this many items start their id embeddings at <see cref="SmallIdInitStd"/>. With cosine logits an
    /// embedding turns by about the learning rate per Adam step, so a small one finds its direction in fewer steps:
    /// above the line it won on ML-1M (3,883 items) and on the sampled-negative catalogs, below it 1/sqrt(D) won on
    /// ML-100K (1,682 items); docs/benchmarks.md has the runs.
    /// </summary>
    public const int SmallIdInitAboveItems = 2048;

    public const double SmallIdInitStd = 0.02;

    /// <summary>
    /// Standard deviation of the item id embeddings at initialisation: null = by catalog size (<see cref="IdInitStdFor"/>),
    /// 0 = 1/sqrt(D), otherwise this value. Training only (the artifact stores the trained weights), so it is not part
    /// of <see cref="ToConfig"/>.
    /// </summary>
    public double? IdInitStd { get; init; }

    /// <summary>
    /// Raw items the refined recommender needs at inference: the queries read <see cref="QueryReach"/> item tokens,
    /// and each block below the last widens an item token's reach by n, so inference equals training.
    /// </summary>
    public int RecentLength => QueryReach + (RecentWindow * (RefinedBlocks - 1));

    /// <summary>The id embeddings' initial standard deviation for a catalog of <paramref name="itemCount"/> items.</summary>
    public double IdInitStdFor(int itemCount) => IdInitStd switch
    {
        > 0 and var std => std,
        0 => 1.0 / Math.Sqrt(Dimension),
        _ => itemCount > SmallIdInitAboveItems ? SmallIdInitStd : 1.0 / Math.Sqrt(Dimension),
    };

    public void Validate()
    {
        Require(Dimension > 0 && Heads > 0 && Dimension % Heads == 0 && Dimension / Heads % 2 == 0,
            "Dimension must be a positive multiple of Heads with an even head width");
        RequireValue(Dropout is >= 0 and < 1, nameof(Dropout), "must be in [0, 1): a dropout probability");
        Require(UseText || UseIdEmbedding, "the item tower needs text, id embeddings or both");
        Require(TextSource == TextSource.Catalog || (UseText && PretrainedTextWidth > 0),
            "pretrained text needs UseText and a positive PretrainedTextWidth");
        Require(TextBlocks >= 0 && MaxTextTokens >= 2, "TextBlocks must be >= 0 and MaxTextTokens >= 2");
        Require(CoarseQueries > 0 && CoarseBlocks > 0, "coarse sizes must be positive");
        Require(UseCoarse || !CoarseStateToken, "CoarseStateToken needs the lightweight recommender (UseCoarse)");
        RequireValue(MaxHistory > 0, nameof(MaxHistory), "must be at least 1: the newest events of a history the model reads");
        Require(CodebookLayers > 0 && CodebookCodes > 1, "codebook sizes must be positive");
        Require(RefinedQueries > 0 && RefinedBlocks > 0 && RecentWindow > 0, "refined sizes must be positive");
        Require(QueryWindow >= 0, "QueryWindow cannot be negative (0: the item tokens' window n)");
        Require(FeedForwardMultiplier > 0 && RopeBase > 1, "FeedForwardMultiplier and RopeBase must be positive");
        Require(TargetWindow > 0, "TargetWindow must be positive");
        RequireValue(IdInitStd is null or >= 0, nameof(IdInitStd), "cannot be negative: a standard deviation (0: 1/sqrt(Dimension); unset: by catalog size)");
    }

    /// <summary>Flat key/value form written into the artifact manifest.</summary>
    public IReadOnlyDictionary<string, string> ToConfig() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["dimension"] = Str(Dimension), ["heads"] = Str(Heads), ["dropout"] = Str(Dropout),
        ["useText"] = Str(UseText), ["useIdEmbedding"] = Str(UseIdEmbedding), ["textBlocks"] = Str(TextBlocks),
        ["maxTextTokens"] = Str(MaxTextTokens), ["coarseQueries"] = Str(CoarseQueries), ["coarseBlocks"] = Str(CoarseBlocks),
        ["useCoarse"] = Str(UseCoarse), ["maxHistory"] = Str(MaxHistory), ["useCodebook"] = Str(UseCodebook),
        ["codebookKind"] = CodebookKind.ToString(), ["codebookLayers"] = Str(CodebookLayers), ["codebookCodes"] = Str(CodebookCodes),
        ["useIndicator"] = Str(UseIndicator), ["refinedQueries"] = Str(RefinedQueries), ["refinedBlocks"] = Str(RefinedBlocks),
        ["recentWindow"] = Str(RecentWindow), ["queryWindow"] = Str(QueryWindow), ["coarseReadsRecent"] = Str(CoarseReadsRecent),
        ["coarseStateToken"] = Str(CoarseStateToken), ["feedForwardMultiplier"] = Str(FeedForwardMultiplier),
        ["ropeBase"] = Str(RopeBase), ["targetWindow"] = Str(TargetWindow), ["matching"] = Matching.ToString(),
        ["textSource"] = TextSource.ToString(), ["pretrainedTextWidth"] = Str(PretrainedTextWidth),
    };

    public static HyMiRecOptions FromConfig(IReadOnlyDictionary<string, string> c)
    {
        string Get(string key) => c.TryGetValue(key, out var v) ? v
            : throw new InvalidDataException($"model config lacks '{key}'");
        int I(string key) => int.Parse(Get(key), CultureInfo.InvariantCulture);
        bool B(string key) => bool.Parse(Get(key));

        // Keys added after the first artifacts were written: their absence means what those artifacts did.
        string Optional(string key, string fallback) => c.TryGetValue(key, out var v) ? v : fallback;
        var options = new HyMiRecOptions
        {
            Dimension = I("dimension"), Heads = I("heads"), Dropout = double.Parse(Get("dropout"), CultureInfo.InvariantCulture),
            UseText = B("useText"), UseIdEmbedding = B("useIdEmbedding"), TextBlocks = I("textBlocks"),
            MaxTextTokens = I("maxTextTokens"), CoarseQueries = I("coarseQueries"), CoarseBlocks = I("coarseBlocks"),
            UseCoarse = B("useCoarse"), MaxHistory = I("maxHistory"), UseCodebook = B("useCodebook"),
            CodebookKind = Enum.Parse<QuantizerKind>(Get("codebookKind")), CodebookLayers = I("codebookLayers"),
            CodebookCodes = I("codebookCodes"), UseIndicator = B("useIndicator"), RefinedQueries = I("refinedQueries"),
            RefinedBlocks = I("refinedBlocks"), RecentWindow = I("recentWindow"), FeedForwardMultiplier = I("feedForwardMultiplier"),
            RopeBase = double.Parse(Get("ropeBase"), CultureInfo.InvariantCulture), TargetWindow = I("targetWindow"),
            Matching = Enum.Parse<InterestMatching>(Get("matching")),
            TextSource = Enum.Parse<TextSource>(Optional("textSource", nameof(TextSource.Catalog))),
            PretrainedTextWidth = int.Parse(Optional("pretrainedTextWidth", "0"), CultureInfo.InvariantCulture),
            QueryWindow = int.Parse(Optional("queryWindow", "0"), CultureInfo.InvariantCulture),
            CoarseReadsRecent = bool.Parse(Optional("coarseReadsRecent", "false")),
            CoarseStateToken = bool.Parse(Optional("coarseStateToken", "false")),
        };
        options.Validate();
        return options;
    }

    private static string Str(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Str(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Str(bool v) => v ? "true" : "false";

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"invalid HyMiRec options: {message}");
        }
    }

    /// <summary>A value a caller sets directly (a CLI flag): its rule, under its property's name.</summary>
    private static void RequireValue(bool valid, string property, string rule) =>
        OptionValueException.Require(valid, "invalid HyMiRec options", property, rule);
}
