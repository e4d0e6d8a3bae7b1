using static TorchSharp.torch;

namespace HyMiRec.Model.Losses;

/// <summary>
/// The items one training step touches, as HLLM-style training gathers them: the unique ids of the batch's
/// histories, targets and sampled negatives, sorted, with 0 (padding) always first. Every input tensor is remapped to
/// row indices into <see cref="Ids"/>, so an item table computed for these ids only ([U, D]) takes the place of the
/// full table ([N + 1, D]) in every index_select, and padding stays 0.
/// </summary>
public sealed class ItemSubset
{
    private ItemSubset(Tensor ids, Tensor[] local)
    {
        Ids = ids;
        Local = local;
    }

    /// <summary>[U] sorted unique item ids, Ids[0] = 0.</summary>
    public Tensor Ids { get; }

    /// <summary>The inputs of <see cref="Create"/>, same shapes, as row indices into <see cref="Ids"/>.</summary>
    public IReadOnlyList<Tensor> Local { get; }

    /// <param name="parts">Int64 tensors of item ids (any shapes, values 0..N).</param>
    public static ItemSubset Create(params Tensor[] parts)
    {
        var flat = cat([zeros(1, dtype: ScalarType.Int64, device: parts[0].device), .. parts.Select(p => p.reshape(-1))], 0); // [1 + sum]
        var (ids, inverse, _) = unique(flat, sorted: true, return_inverse: true); // [U], [1 + sum]
        var local = new Tensor[parts.Length];
        var offset = 1L;
        for (var i = 0; i < parts.Length; i++)
        {
            var size = parts[i].numel();
            local[i] = inverse!.narrow(0, offset, size).view(parts[i].shape);
            offset += size;
        }

        return new ItemSubset(ids, local);
    }
}
