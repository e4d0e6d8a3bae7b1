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
        var (length, cutCount) = (history.shape[1], cuts.shape[1]);
        var c = _options.CoarseQueries;
        var queryCount = (int)cutCount * c;
        var (x, rotary) = Tokens(history, valid, cuts);
        var mask = QueryLayout.Mask(valid, cuts, c, window: null);

        var rows = ReadRows(cuts, length, queryCount, history.device); // [B, Kc(+K)]
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

        return (Read(read, valid, cuts), sequence);
    }

    /// <summary>
    /// <see cref="forward"/> for serving with what earlier passes left: every block but the last computes only the
    /// newest <paramref name="fresh"/> history tokens and the queries, and takes the other history tokens' outputs from
    /// <paramref name="known"/>. Causal history tokens never read a query or a later event, so those outputs are the
    /// ones a whole pass would give as long as the events before them are the same; the pass is then linear in the
    /// history length instead of quadratic.
    /// </summary>
    /// <param name="history">[B, H, D] reconstructed history embeddings, left-padded.</param>
    /// <param name="valid">[B, H]</param>
    /// <param name="cuts">[B, K]</param>
    /// <param name="known">[B, H, N, D]: for each block but the last (N = blocks - 1), its output at each history token;
    /// only tokens before the newest <paramref name="fresh"/> are read.</param>
    /// <param name="fresh">How many of the newest history positions to compute (0 to H).</param>
    /// <returns>The interests of <see cref="forward"/>, and the fresh rows' states ([B, F, N, D]: <paramref name="known"/>'s
    /// newest F rows as a whole pass gives them).</returns>
    public (Tensor Interests, Tensor Fresh) RunIncremental(Tensor history, Tensor valid, Tensor cuts, Tensor known, int fresh)
    {
        var (batch, length, cutCount) = (history.shape[0], history.shape[1], cuts.shape[1]);
        var c = _options.CoarseQueries;
        var queryCount = (int)cutCount * c;
        var dimension = history.shape[2];
        if (known.shape[0] != batch || known.shape[1] != length || known.shape[2] != _blocks.Count - 1 || known.shape[3] != dimension || fresh < 0 || fresh > length)
        {
            throw new ArgumentException($"known states must be [B, H, {_blocks.Count - 1}, D] and 0 <= fresh ({fresh}) <= {length}");
        }

        var (x, rotary) = Tokens(history, valid, cuts);
        var computed = tensor(Enumerable.Range((int)length - fresh, fresh + queryCount).Select(i => (long)i).ToArray(), device: history.device)
            .unsqueeze(0).expand(batch, -1); // [B, F+Kc]: the fresh history tokens, then the queries
        var computedMask = QueryLayout.RowMask(valid, cuts, c, window: null, groupWindow: null, computed);
        var at = computed.unsqueeze(-1).expand(-1, -1, dimension); // [B, F+Kc, D]
        var states = new List<Tensor>();
        for (var i = 0; i < _blocks.Count - 1; i++)
        {
            var rows = _blocks[i].ForwardRowsMasked(x, computedMask, rotary, computed); // [B, F+Kc, D]
            x = cat([known[.., .., i, ..], zeros(batch, queryCount, dimension, device: history.device)], 1).scatter(1, at, rows); // [B, H+Kc, D]
            states.Add(x[.., ((int)length - fresh)..(int)length, ..]);
        }

        var read = ReadRows(cuts, length, queryCount, history.device);
        var output = _blocks[^1].ForwardRowsMasked(x, QueryLayout.RowMask(valid, cuts, c, window: null, groupWindow: null, read), rotary, read);
        return (Read(output, valid, cuts), states.Count == 0 ? known[.., ((int)known.shape[1] - fresh)..] : stack(states, 2)); // [B, K, c(+1), D], [B, F, N, D]
    }

    /// <returns>The token sequence [B, H+Kc, D] (the history, then the coarse queries of each cut) and its rotary tables.</returns>
    private (Tensor X, RotaryTables Rotary) Tokens(Tensor history, Tensor valid, Tensor cuts)
    {
        var (batch, length, cutCount) = (history.shape[0], history.shape[1], cuts.shape[1]);
        var c = _options.CoarseQueries;
        var queries = _queries.unsqueeze(0).expand(batch * cutCount, -1, -1).reshape(batch, cutCount * c, -1); // [B, Kc, D]
        return (cat([history * valid.unsqueeze(-1), queries], 1), // [B, H+Kc, D]
            RotaryTables.Create(QueryLayout.Positions(batch, length, cuts, c), _options.Dimension / _options.Heads, _options.RopeBase));
    }

    /// <returns>[B, Kc(+K)] the tokens whose outputs are read: the coarse queries, then (with the state token) the history token at each cut.</returns>
    private Tensor ReadRows(Tensor cuts, long length, int queryCount, Device device)
    {
        var queryRows = tensor(Enumerable.Range(0, queryCount).Select(i => length + i).ToArray(), device: device)
            .unsqueeze(0).expand(cuts.shape[0], -1); // [B, Kc]
        return _options.CoarseStateToken ? cat([queryRows, cuts.clamp_min(Scalars.Zero)], 1) : queryRows;
    }

    /// <param name="read">[B, Kc(+K), D] the last block's output at <see cref="ReadRows"/>.</param>
    /// <returns>[B, K, c(+1), D]</returns>
    private Tensor Read(Tensor read, Tensor valid, Tensor cuts)
    {
        var (batch, cutCount) = (cuts.shape[0], cuts.shape[1]);
        var queryCount = (int)cutCount * _options.CoarseQueries;
        var interests = _norm.forward(read[.., ..queryCount, ..]).view(batch, cutCount, _options.CoarseQueries, -1); // [B, K, c, D]
        if (_options.CoarseStateToken)
        {
            var at = cuts.clamp_min(Scalars.Zero); // [B, K]
            var real = valid.gather(1, at).logical_and(cuts.ge(Scalars.Zero)).unsqueeze(-1); // [B, K, 1]
            interests = cat([interests, (_norm.forward(read[.., queryCount.., ..]) * real).unsqueeze(2)], 2); // [B, K, c+1, D]
        }

        return interests;
    }
}
