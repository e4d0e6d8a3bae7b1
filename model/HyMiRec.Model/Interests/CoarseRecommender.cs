using HyMiRec.Model.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HyMiRec.Model.Interests;

/// <summary>
/// The lightweight recommender: a shallow causal transformer over the long history (codebook reconstructions of the
/// items) with c learnable coarse queries per cut point; the queries' outputs are the c coarse interests.
/// </summary>
public sealed class CoarseRecommender : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly Parameter _queries;
    private readonly ModuleList<LlamaBlock> _blocks;
    private readonly RmsNorm _norm;
    private readonly HyMiRecOptions _options;

    public CoarseRecommender(HyMiRecOptions options)
        : base(nameof(CoarseRecommender))
    {
        _options = options;
        var d = options.Dimension;
        _queries = nn.Parameter(randn(options.CoarseQueries, d) * 0.02);
        _blocks = nn.ModuleList(Enumerable.Range(0, options.CoarseBlocks)
            .Select(i => new LlamaBlock($"coarse{i}", d, options.Heads, d * options.FeedForwardMultiplier, options.Dropout))
            .ToArray());
        _norm = new RmsNorm("coarse_norm", d);
        RegisterComponents();
    }

    /// <param name="history">[B, H, D] reconstructed history embeddings, left-padded.</param>
    /// <param name="valid">[B, H] true for real events.</param>
    /// <param name="cuts">[B, K] index of the last history event each cut's queries may read.</param>
    /// <returns>[B, K, c, D] coarse interests, followed with <see cref="HyMiRecOptions.CoarseStateToken"/> by the history
    /// state at each cut ([B, K, c + 1, D]; a cut below the first event gives a zero state).</returns>
    public override Tensor forward(Tensor history, Tensor valid, Tensor cuts) => Run(history, valid, cuts, withSequence: false).Interests;

    /// <summary>
    /// The interests of <see cref="forward"/>, and the history tokens' outputs through the same norm, L2-normalised:
    /// history token j reads events 0 .. j only (causal, no window), so its output may be trained to predict event
    /// j + 1, a SASRec-style signal for the blocks the coarse queries read through (see
    /// <see cref="Losses.PositionNextItemLoss"/>).
    /// </summary>
    /// <param name="withSequence">False leaves the history-token outputs out (serving has no use for them).</param>
    /// <returns>Interests [B, K, c, D] (c + 1 with the state token) and history-token outputs [B, H, D] (null without <paramref name="withSequence"/>).</returns>
    public (Tensor Interests, Tensor? Sequence) Run(Tensor history, Tensor valid, Tensor cuts, bool withSequence = true)
    {
        var (batch, length, cutCount) = (history.shape[0], history.shape[1], cuts.shape[1]);
        var c = _options.CoarseQueries;
        var queryCount = (int)cutCount * c;
        var queries = _queries.unsqueeze(0).expand(batch * cutCount, -1, -1).reshape(batch, cutCount * c, -1); // [B, Kc, D]
        var x = cat([history * valid.unsqueeze(-1), queries], 1); // [B, H+Kc, D]
        var mask = QueryLayout.Mask(valid, cuts, c, window: null);
        var rotary = RotaryTables.Create(QueryLayout.Positions(batch, length, cuts, c), _options.Dimension / _options.Heads, _options.RopeBase);

        // The tokens whose outputs are read: the coarse queries, then (with the state token) the history token at each cut.
        var at = cuts.clamp_min(Scalars.Zero); // [B, K]
        var queryRows = tensor(Enumerable.Range(0, queryCount).Select(i => length + i).ToArray(), device: history.device)
            .unsqueeze(0).expand(batch, -1); // [B, Kc]
        var rows = _options.CoarseStateToken ? cat([queryRows, at], 1) : queryRows; // [B, Kc(+K)]
        Tensor read; // [B, Kc(+K), D]
        Tensor? sequence = null;
        if (withSequence)
        {
            x = LlamaBlock.RunStack(_blocks, x, mask, rotary, rows: null); // [B, H+Kc, D]
            read = x.gather(1, rows.unsqueeze(-1).expand(-1, -1, x.shape[2]));
            sequence = nn.functional.normalize(_norm.forward(x[.., ..(int)length, ..]), dim: -1); // [B, H, D]
        }
        else
        {
            // Serving and evaluation read only these rows, so the last block skips the history tokens' own outputs.
            read = LlamaBlock.RunStack(_blocks, x, mask, rotary, rows);
        }

        var interests = _norm.forward(read[.., ..queryCount, ..]).view(batch, cutCount, c, -1); // [B, K, c, D]
        if (_options.CoarseStateToken)
        {
            var real = valid.gather(1, at).logical_and(cuts.ge(Scalars.Zero)).unsqueeze(-1); // [B, K, 1]
            interests = cat([interests, (_norm.forward(read[.., queryCount.., ..]) * real).unsqueeze(2)], 2); // [B, K, c+1, D]
        }

        return (interests, sequence);
    }
}
