using HyMiRec.Model.Codebooks;
using static TorchSharp.torch;

namespace HyMiRec.Model.Serving;

/// <summary>Left-padded tensors for a batch of serving requests; padding rows are zero and marked invalid.</summary>
internal static class ServingBatch
{
    /// <summary>Long histories decoded from their codes, the newest <paramref name="maxHistory"/> events per user.</summary>
    public static (Tensor Embeddings, Tensor Valid) History(IReadOnlyList<InterestRequest> batch, IItemQuantizer codebook, int maxHistory, int dimension)
    {
        var layers = codebook.Layers;
        var needsMagnitudes = codebook.Kind == QuantizerKind.Cosine;
        var lengths = batch.Select(r => HistoryWindow.Length(CheckedLength(r, layers, needsMagnitudes), maxHistory)).ToArray();
        var width = Math.Max(1, lengths.Max());
        var total = lengths.Sum();
        var codeWidth = QuantizedItems.CodeWidthFor(codebook.Codes);
        var packed = new byte[total * layers * codeWidth];
        var magnitudes = needsMagnitudes ? new Half[total * layers] : null;
        var row = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var skip = (batch[i].HistoryCodes.Length / layers) - lengths[i];
            for (var e = 0; e < lengths[i] * layers; e++, row++)
            {
                var code = batch[i].HistoryCodes[(skip * layers) + e];
                if (code >= codebook.Codes)
                {
                    throw new ArgumentException($"request {i}: code {code} is outside the codebook's {codebook.Codes} codes");
                }

                if (codeWidth == 1)
                {
                    packed[row] = (byte)code;
                }
                else
                {
                    packed[2 * row] = (byte)code;
                    packed[(2 * row) + 1] = (byte)(code >> 8);
                }

                if (magnitudes is not null)
                {
                    magnitudes[row] = batch[i].HistoryMagnitudes[(skip * layers) + e];
                }
            }
        }

        var embeddings = zeros(batch.Count, width, dimension); // [B, H, D]
        var valid = zeros(batch.Count, width, dtype: ScalarType.Bool); // [B, H]
        if (total > 0)
        {
            var decoded = codebook.Decode(new QuantizedItems(total, layers, codebook.Codes, packed, magnitudes)); // [total, D]
            var offset = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                if (lengths[i] > 0)
                {
                    embeddings[i, (width - lengths[i])..] = decoded[offset..(offset + lengths[i])];
                    valid[i, (width - lengths[i])..] = true;
                    offset += lengths[i];
                }
            }
        }

        return (embeddings, valid);
    }

    /// <summary>Raw embeddings of the newest <paramref name="recentLength"/> items per user.</summary>
    public static (Tensor Embeddings, Tensor Valid) Recent(IReadOnlyList<InterestRequest> batch, Tensor itemTable, int recentLength, int itemCount)
    {
        var indices = new long[batch.Count * recentLength];
        for (var i = 0; i < batch.Count; i++)
        {
            var items = batch[i].RecentItems;
            var take = Math.Min(recentLength, items.Length);
            for (var j = 0; j < take; j++)
            {
                var item = items[items.Length - take + j];
                if (item < 1 || item > itemCount)
                {
                    throw new ArgumentException($"request {i}: item index {item} is not in 1..{itemCount}");
                }

                indices[(i * recentLength) + recentLength - take + j] = item;
            }
        }

        var ids = tensor(indices).view(batch.Count, recentLength); // [B, R]
        return (itemTable.index_select(0, ids.view(-1)).view(batch.Count, recentLength, -1), ids.ne(Modules.Scalars.Zero));
    }

    private static int CheckedLength(InterestRequest request, int layers, bool needsMagnitudes)
    {
        if (request.HistoryCodes.Length % layers != 0
            || request.HistoryMagnitudes.Length != (needsMagnitudes ? request.HistoryCodes.Length : 0))
        {
            throw new ArgumentException($"history codes ({request.HistoryCodes.Length}) and magnitudes ({request.HistoryMagnitudes.Length}) do not form [H, {layers}] rows");
        }

        return request.HistoryCodes.Length / layers;
    }
}
