using static TorchSharp.torch;

namespace HyMiRec.Training.Training;

/// <summary>
/// Picks K cut points per left-padded training sequence for DMIL: the last cut that still has a target is always
/// taken (it matches how the model is evaluated), the others are drawn uniformly without replacement. Each cut gets
/// the w items after it as targets (0 past the end); unused cut slots are -1.
/// </summary>
public static class CutSampler
{
    /// <param name="items">[B, T] left-padded item indices.</param>
    /// <returns>Cuts [B, K] and targets [B, K, w].</returns>
    public static (Tensor Cuts, Tensor Targets) Sample(Tensor items, int cutsPerSequence, int window, Random random)
    {
        var (batch, length) = ((int)items.shape[0], (int)items.shape[1]);
        var values = items.contiguous().data<long>().ToArray();
        var cuts = new long[batch * cutsPerSequence];
        var targets = new long[batch * cutsPerSequence * window];
        Array.Fill(cuts, -1);
        for (var b = 0; b < batch; b++)
        {
            var start = 0;
            while (start < length && values[(b * length) + start] == 0)
            {
                start++;
            }

            var candidates = Enumerable.Range(start, Math.Max(0, length - 1 - start)).ToList(); // cuts with >= 1 target
            if (candidates.Count == 0)
            {
                continue;
            }

            var chosen = new List<int> { candidates[^1] };
            candidates.RemoveAt(candidates.Count - 1);
            while (chosen.Count < cutsPerSequence && candidates.Count > 0)
            {
                var pick = random.Next(candidates.Count);
                chosen.Add(candidates[pick]);
                candidates[pick] = candidates[^1];
                candidates.RemoveAt(candidates.Count - 1);
            }

            for (var k = 0; k < chosen.Count; k++)
            {
                var cut = chosen[k];
                cuts[(b * cutsPerSequence) + k] = cut;
                for (var j = 0; j < window && cut + 1 + j < length; j++)
                {
                    targets[(((b * cutsPerSequence) + k) * window) + j] = values[(b * length) + cut + 1 + j];
                }
            }
        }

        return (tensor(cuts).view(batch, cutsPerSequence), tensor(targets).view(batch, cutsPerSequence, window));
    }
}
