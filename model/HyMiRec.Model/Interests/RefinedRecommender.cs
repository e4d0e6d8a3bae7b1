using HyMiRec.Model.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HyMiRec.Model.Interests;

/// <summary>
/// The refined (LLM-style) recommender: LLaMA blocks over [coarse interests + indicator] + the latest n raw items
/// + s learnable refined queries; the queries' outputs are the s refined interests. Item tokens attend within a
/// sliding window of n and do not read the coarse prefix, so one pass serves every cut point of a training
/// sequence; the query tokens read both.
/// </summary>
public sealed class RefinedRecommender : nn.Module<Tensor, Tensor, Tensor, Tensor?, Tensor>
{
    private readonly Parameter? _indicator;
    private readonly Parameter _queries;
    private readonly ModuleList<LlamaBlock> _blocks;
    private readonly RmsNorm _norm;
    private readonly Linear _head;
    private readonly HyMiRecOptions _options;

    public RefinedRecommender(HyMiRecOptions options)
        : base(nameof(RefinedRecommender))
    {
        _options = options;
        var d = options.Dimension;
        if (options.UseCoarse && options.UseIndicator)
        {
            _indicator = nn.Parameter(randn(d) * 0.02);
        }

        _queries = nn.Parameter(randn(options.RefinedQueries, d) * 0.02);
        _blocks = nn.ModuleList(Enumerable.Range(0, options.RefinedBlocks)
            .Select(i => new LlamaBlock($"refined{i}", d, options.Heads, d * options.FeedForwardMultiplier, options.Dropout))
            .ToArray());
        _norm = new RmsNorm("refined_norm", d);
        _head = nn.Linear(d, d);
        RegisterComponents();
    }

    /// <param name="recent">[B, T, D] raw item embeddings, left-padded.</param>
    /// <param name="valid">[B, T] true for real items.</param>
    /// <param name="cuts">[B, K] index of each cut point's last item.</param>
    /// <param name="coarse">[B, K, c, D] coarse interests (c + 1 with the coarse state token), or null without the lightweight recommender.</param>
    /// <returns>[B, K, s, D] L2-normalised refined interests.</returns>
    public override Tensor forward(Tensor recent, Tensor valid, Tensor cuts, Tensor? coarse) => Run(recent, valid, cuts, coarse, withSequence: false).Interests;

    /// <summary>
    /// The interests of <see cref="forward"/>, and the item tokens' outputs through the same norm and head: token j
    /// reads items j - n + 1 .. j only, so its output may be trained to predict item j + 1 (see
    /// <see cref="Losses.PositionNextItemLoss"/>).
    /// </summary>
    /// <param name="withSequence">False leaves the item-token outputs out (serving and the cut points' loss have no use for them).</param>
    /// <returns>Interests [B, K, s, D] and item-token outputs [B, T, D] (null without <paramref name="withSequence"/>), both L2-normalised.</returns>
    public (Tensor Interests, Tensor? Sequence) Run(Tensor recent, Tensor valid, Tensor cuts, Tensor? coarse, bool withSequence = true)
    {
        var (batch, length, cutCount) = (recent.shape[0], recent.shape[1], cuts.shape[1]);
        var s = _options.RefinedQueries;
        var queries = _queries.unsqueeze(0).unsqueeze(0).expand(batch, cutCount, -1, -1); // [B, K, s, D]
        var prefix = coarse is null ? null : _indicator is null ? coarse : coarse + _indicator; // [B, K, c, D]
        var groups = prefix is null ? queries : cat([prefix, queries], 2); // [B, K, g, D]
        var g = (int)groups.shape[2];
        var x = cat([recent * valid.unsqueeze(-1), groups.reshape(batch, cutCount * g, -1)], 1); // [B, T+Kg, D]
        var mask = QueryLayout.Mask(valid, cuts, g, _options.RecentWindow, _options.QueryReach);
        var rotary = RotaryTables.Create(QueryLayout.Positions(batch, length, cuts, g), _options.Dimension / _options.Heads, _options.RopeBase);
        if (withSequence)
        {
            x = LlamaBlock.RunStack(_blocks, x, mask, rotary, rows: null); // [B, T+Kg, D]
            var outputs = x[.., (int)length.., ..].view(batch, cutCount, g, -1)[.., .., (g - s).., ..]; // [B, K, s, D]
            return (Project(outputs), Project(x[.., ..(int)length, ..])); // [B, K, s, D], [B, T, D]
        }

        // Only the refined queries' outputs are read, so the last block computes those rows alone.
        var rows = tensor(Enumerable.Range(0, (int)cutCount).SelectMany(k => Enumerable.Range(0, s).Select(i => length + (k * g) + (g - s) + i)).ToArray(),
            device: recent.device).unsqueeze(0).expand(batch, -1); // [B, Ks]
        return (Project(LlamaBlock.RunStack(_blocks, x, mask, rotary, rows).view(batch, cutCount, s, -1)), null); // [B, K, s, D]
    }

    private Tensor Project(Tensor outputs) => nn.functional.normalize(_head.forward(_norm.forward(outputs)), dim: -1);
}
