using HyMiRec.Model.Modules;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace HyMiRec.Model.Interests;

/// <summary>
/// Stage 1's content encoder: item text tokens -> a bidirectional LLaMA-style encoder whose [CLS] summary token is
/// the text embedding, plus (optionally) a learned id embedding. Evaluation and serving run the whole catalog through
/// it once per model version (<see cref="forward"/>); a training step runs only the items it needs (<see cref="Rows"/>),
/// so a step costs O(batch), not O(catalog).
/// With <see cref="TextSource.Pretrained"/> the input is instead fixed features of a frozen pretrained LLM and only
/// the projection is learnt, so the weights (and serving) never need the LLM.
/// </summary>
public sealed class ItemTower : nn.Module<Tensor, Tensor>
{
    private readonly Embedding? _tokens;
    private readonly ModuleList<LlamaBlock>? _blocks;
    private readonly RmsNorm? _norm;
    private readonly Linear? _project;
    private readonly Embedding? _ids;
    private readonly HyMiRecOptions _options;

    /// <summary>
    /// The text encoder runs over at most this many items at a time: a 50,000-item catalog in one pass held activations
    /// of [N, T, 2D] floats (gigabytes, each block freshly mapped and zeroed by the kernel).
    /// </summary>
    private const int RowChunk = 2048;

    public ItemTower(HyMiRecOptions options, int itemCount, int vocabularySize)
        : base(nameof(ItemTower))
    {
        _options = options;
        var d = options.Dimension;
        if (options.UseText && options.TextSource == TextSource.Pretrained)
        {
            _project = nn.Linear(options.PretrainedTextWidth, d);
        }
        else if (options.UseText)
        {
            _tokens = nn.Embedding(vocabularySize, d, padding_idx: 0);
            _blocks = nn.ModuleList(Enumerable.Range(0, options.TextBlocks)
                .Select(i => new LlamaBlock($"text{i}", d, options.Heads, d * options.FeedForwardMultiplier, options.Dropout))
                .ToArray());
            _norm = new RmsNorm("text_norm", d);
            _project = nn.Linear(d, d);
        }

        if (options.UseIdEmbedding)
        {
            _ids = nn.Embedding(itemCount + 1, d, padding_idx: 0);
        }

        RegisterComponents();
        using (no_grad())
        {
            if (_tokens is not null)
            {
                nn.init.normal_(_tokens.weight!, std: 0.02);
                _tokens.weight![0].zero_();
            }

            if (_project is not null)
            {
                // At initialisation every item's summary is nearly the same vector; a zero projection keeps that
                // shared component from swamping the id embeddings, and text grows in as training finds it useful.
                _project.weight!.zero_();
                _project.bias!.zero_();
            }

            if (_ids is not null)
            {
                nn.init.normal_(_ids.weight!, std: options.IdInitStdFor(itemCount));
                _ids.weight![0].zero_();
            }
        }
    }

    /// <param name="tokenIds">
    /// Catalog mode: [N + 1, T] int64 catalog token ids, [CLS] first, 0-padded. Pretrained mode: [N + 1, H] float
    /// text features. Row 0 is the padding item.
    /// </param>
    /// <returns>[N + 1, D] item embeddings, row 0 all zero.</returns>
    public override Tensor forward(Tensor tokenIds)
    {
        var count = tokenIds.shape[0];
        var text = TextSummaries(tokenIds); // [N+1, D] or null

        // What all items' texts share says nothing about which item fits a user, yet it would dominate cosine
        // similarity: keep only each item's deviation from the catalog mean.
        var table = text is null ? null : text - text[1..].mean([0], keepdim: true);
        if (_ids is not null)
        {
            var ids = _ids.weight!; // [N+1, D]
            table = table is null ? ids : table + ids;
        }

        var notPadding = ones(count, 1, device: tokenIds.device);
        notPadding[0] = 0;
        return table! * notPadding; // [N+1, D]
    }

    /// <summary>
    /// Embeddings of a subset of the catalog, the rows a training step needs, at O(subset) cost. Row i is exactly
    /// <see cref="forward"/>'s row <c>ids[i]</c> when <paramref name="centre"/> covers the whole catalog; training
    /// passes the step's uniformly sampled negatives instead, whose mean text summary is an unbiased estimate of the
    /// catalog mean that <see cref="forward"/> subtracts.
    /// </summary>
    /// <param name="rows">[U, T] token rows (or [U, H] pretrained features) of the items <paramref name="ids"/>.</param>
    /// <param name="ids">[U] item indices (0 = padding, whose row comes out zero).</param>
    /// <param name="centre">[C] indices into the U rows whose mean text summary is subtracted (unused without text).</param>
    /// <returns>[U, D]</returns>
    public Tensor Rows(Tensor rows, Tensor ids, Tensor centre)
    {
        var text = TextSummary(rows); // [U, D] or null
        var table = text is null ? null : text - text.index_select(0, centre).mean([0], keepdim: true);
        if (_ids is not null)
        {
            var embedded = _ids.forward(ids); // [U, D]
            table = table is null ? embedded : table + embedded;
        }

        return table! * ids.ne(Scalars.Zero).unsqueeze(1).to_type(table!.dtype); // [U, D]
    }

    /// <summary>
    /// Text summaries of every row before centring, [N + 1, D] (in chunks, like <see cref="forward"/>), or null when
    /// the text encoder is off. Training keeps them as a cache for its sampled negatives (<see cref="RowsWithCachedText"/>).
    /// </summary>
    public Tensor? TextSummaries(Tensor tokenIds)
    {
        var count = tokenIds.shape[0];
        return _project is null ? null
            : count <= RowChunk ? TextSummary(tokenIds)
            : cat(Enumerable.Range(0, (int)((count + RowChunk - 1) / RowChunk))
                .Select(c => ChunkSummary(tokenIds.narrow(0, c * RowChunk, Math.Min(RowChunk, count - (c * RowChunk))))).ToList(), 0); // [N+1, D]
    }

    /// <summary>
    /// Like <see cref="Rows"/>, but only the rows marked <paramref name="live"/> (a step's history items) run through
    /// the text encoder; the others take their text summary from <paramref name="cachedText"/>, computed with recent
    /// weights and without gradient. Every row is centred on the cache's catalog mean. A step then costs the text
    /// encoder for the items it reads only, whatever the number of negatives.
    /// </summary>
    /// <param name="liveRows">[L, T] token rows (or [L, H] pretrained features) of the live items, in their order in <paramref name="ids"/>.</param>
    /// <param name="ids">[U] item indices (0 = padding, whose row comes out zero).</param>
    /// <param name="live">[U] bool: which of <paramref name="ids"/> are live; [L] of them.</param>
    /// <param name="cachedText">[N + 1, D] text summaries (<see cref="TextSummaries"/>) of recent weights.</param>
    /// <param name="cachedMean">[1, D] the cache's mean over rows 1..N.</param>
    /// <returns>[U, D]</returns>
    public Tensor RowsWithCachedText(Tensor liveRows, Tensor ids, Tensor live, Tensor cachedText, Tensor cachedMean)
    {
        var liveText = TextSummary(liveRows)!; // [L, D]
        var liveIndex = live.nonzero().view(-1); // [L]
        var stale = cachedText.index_select(0, ids) * live.logical_not().unsqueeze(1).to_type(cachedText.dtype); // [U, D]
        var table = stale.index_add(0, liveIndex, liveText, Scalars.One) - cachedMean; // [U, D]
        if (_ids is not null)
        {
            table = table + _ids.forward(ids); // [U, D]
        }

        return table * ids.ne(Scalars.Zero).unsqueeze(1).to_type(table.dtype); // [U, D]
    }

    /// <summary>
    /// Rows whose text comes from <paramref name="cachedText"/> only (centred on <paramref name="cachedMean"/>), with live id
    /// embeddings: what a training step's loss scores, positives and negatives alike (see <see cref="RowsWithCachedText"/>).
    /// </summary>
    /// <param name="ids">[U] item indices (0 = padding, whose row comes out zero).</param>
    /// <returns>[U, D]</returns>
    public Tensor CachedRows(Tensor ids, Tensor cachedText, Tensor cachedMean)
    {
        var table = cachedText.index_select(0, ids) - cachedMean; // [U, D]
        if (_ids is not null)
        {
            table = table + _ids.forward(ids); // [U, D]
        }

        return table * ids.ne(Scalars.Zero).unsqueeze(1).to_type(table.dtype); // [U, D]
    }

    /// <summary>
    /// One chunk's text summary in its own dispose scope: a caller's scope would otherwise keep every chunk's
    /// activations until it ends, as much memory as one pass over the whole catalog. Autograd keeps what backward needs
    /// on its own, so this is safe in training too.
    /// </summary>
    private Tensor ChunkSummary(Tensor tokenIds)
    {
        using var scope = NewDisposeScope();
        return TextSummary(tokenIds)!.MoveToOuterDisposeScope(); // [R, D]
    }

    /// <summary>Text summary per row before centring: [R, D], or null when the text encoder is off.</summary>
    private Tensor? TextSummary(Tensor tokenIds)
    {
        if (_project is not null && _tokens is null)
        {
            return _project.forward(tokenIds); // [R, D]
        }

        if (_tokens is null)
        {
            return null;
        }

        // MovieLens titles fill about half of their token rows; rows of one length run together, trimmed to it, so the
        // encoder never computes padded positions. Padding keys are masked, so a row's summary is the same either way.
        var groups = LengthGroups(tokenIds);
        if (groups.Count == 1)
        {
            return Encode(tokenIds.narrow(1, 0, groups[0].Length)); // [R, D]
        }

        var parts = new List<Tensor>(groups.Count);
        var order = new List<long>((int)tokenIds.shape[0]);
        foreach (var (length, rows) in groups)
        {
            parts.Add(Encode(tokenIds.index_select(0, tensor(rows, device: tokenIds.device)).narrow(1, 0, length))); // [r, D]
            order.AddRange(rows);
        }

        var inverse = new long[order.Count];
        for (var i = 0; i < inverse.Length; i++)
        {
            inverse[order[i]] = i;
        }

        return cat(parts, 0).index_select(0, tensor(inverse, device: tokenIds.device)); // [R, D]
    }

    /// <summary>Row indices by token length (at least 1: an all-padding row keeps its [PAD] position), shortest first.</summary>
    private static List<(int Length, long[] Rows)> LengthGroups(Tensor tokenIds)
    {
        using var scope = NewDisposeScope();
        var lengths = tokenIds.ne(Scalars.Zero).sum(1, type: ScalarType.Int64).cpu().data<long>().ToArray(); // [R]
        return [.. lengths.Select((length, row) => (Length: (int)Math.Max(1, length), Row: (long)row))
            .GroupBy(r => r.Length)
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Select(r => r.Row).ToArray()))];
    }

    /// <summary>The encoder over token rows [R, T] ([CLS] first, trailing padding); returns the [CLS] summaries [R, D].</summary>
    internal Tensor Encode(Tensor tokenIds)
    {
        var length = tokenIds.shape[1];
        var valid = tokenIds.ne(Scalars.Zero); // [R, T]
        var x = _tokens!.forward(tokenIds); // [R, T, D]
        var keys = valid.unsqueeze(1).unsqueeze(1); // [R, 1, 1, T]
        var mask = keys.logical_or(eye(length, dtype: ScalarType.Bool, device: tokenIds.device)); // [R, 1, T, T]
        using var lengthScalar = length.ToScalar(); // held past the native call (see Modules.Scalars)
        var positions = arange(lengthScalar, device: tokenIds.device).unsqueeze(0); // [1, T]
        var rotary = RotaryTables.Create(positions, _options.Dimension / _options.Heads, _options.RopeBase);
        foreach (var block in _blocks!)
        {
            x = block.forward(x, mask, rotary);
        }

        return _project!.forward(_norm!.forward(x[.., 0, ..])); // [R, D]
    }
}
