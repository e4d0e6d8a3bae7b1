using HyMiRec.Testing.Pretrained;

namespace HyMiRec.UnitTests.Pretrained;

/// <summary>
/// Hugging Face LLaMA's forward pass written out in plain loops over the raw weights, position by position and head
/// by head, in double precision: the independent reference the TorchSharp encoder is checked against.
/// </summary>
internal static class LlamaReference
{
    /// <returns>[Hidden] final-norm hidden state at the last position of <paramref name="ids"/>.</returns>
    public static double[] LastHidden(TinyLlama model, int[] ids)
    {
        const int h = TinyLlama.Hidden;
        var hd = TinyLlama.HeadDimension;
        var kvHeads = model.KeyValueHeads;
        var embed = model.Stored("model.embed_tokens.weight");
        var x = ids.Select(id => Enumerable.Range(0, h).Select(j => (double)embed[(id * h) + j]).ToArray()).ToArray(); // [T][H]
        for (var l = 0; l < TinyLlama.Layers; l++)
        {
            string W(string name) => $"model.layers.{l}.{name}.weight";
            var normed = x.Select(v => RmsNorm(v, model.Stored(W("input_layernorm")))).ToArray();
            var q = normed.Select(v => MatVec(model.Stored(W("self_attn.q_proj")), v)).ToArray();
            var k = normed.Select(v => MatVec(model.Stored(W("self_attn.k_proj")), v)).ToArray();
            var v = normed.Select(n => MatVec(model.Stored(W("self_attn.v_proj")), n)).ToArray();
            for (var t = 0; t < ids.Length; t++)
            {
                Rotate(q[t], TinyLlama.Heads, hd, t, model.Frequencies);
                Rotate(k[t], kvHeads, hd, t, model.Frequencies);
            }

            var attended = new double[ids.Length][];
            for (var t = 0; t < ids.Length; t++)
            {
                attended[t] = new double[h];
                for (var head = 0; head < TinyLlama.Heads; head++)
                {
                    var kv = head / (TinyLlama.Heads / kvHeads);
                    var scores = new double[t + 1];
                    for (var s = 0; s <= t; s++)
                    {
                        for (var d = 0; d < hd; d++)
                        {
                            scores[s] += q[t][(head * hd) + d] * k[s][(kv * hd) + d];
                        }

                        scores[s] /= Math.Sqrt(hd);
                    }

                    var max = scores.Max();
                    var weights = scores.Select(s => Math.Exp(s - max)).ToArray();
                    var total = weights.Sum();
                    for (var s = 0; s <= t; s++)
                    {
                        for (var d = 0; d < hd; d++)
                        {
                            attended[t][(head * hd) + d] += weights[s] / total * v[s][(kv * hd) + d];
                        }
                    }
                }
            }

            for (var t = 0; t < ids.Length; t++)
            {
                var output = MatVec(model.Stored(W("self_attn.o_proj")), attended[t]);
                var residual = x[t].Zip(output, (a, b) => a + b).ToArray();
                var mlpInput = RmsNorm(residual, model.Stored(W("post_attention_layernorm")));
                var gate = MatVec(model.Stored(W("mlp.gate_proj")), mlpInput);
                var up = MatVec(model.Stored(W("mlp.up_proj")), mlpInput);
                var hidden = gate.Zip(up, (g, u) => g / (1 + Math.Exp(-g)) * u).ToArray();
                x[t] = residual.Zip(MatVec(model.Stored(W("mlp.down_proj")), hidden), (a, b) => a + b).ToArray();
            }
        }

        return RmsNorm(x[^1], model.Stored("model.norm.weight"));
    }

    private static double[] RmsNorm(double[] x, float[] weight)
    {
        var scale = 1 / Math.Sqrt((x.Sum(v => v * v) / x.Length) + TinyLlama.Epsilon);
        return [.. x.Select((v, i) => v * scale * weight[i])];
    }

    /// <summary>y = W x for W stored [out, in] row-major, as nn.Linear (and Hugging Face) keep it.</summary>
    private static double[] MatVec(float[] weight, double[] x)
    {
        var y = new double[weight.Length / x.Length];
        for (var o = 0; o < y.Length; o++)
        {
            for (var i = 0; i < x.Length; i++)
            {
                y[o] += weight[(o * x.Length) + i] * x[i];
            }
        }

        return y;
    }

    /// <summary>Rotate-half RoPE: dimension i pairs with i + Dh/2 at frequency frequencies[i] (theta^(-2i/Dh) unscaled).</summary>
    private static void Rotate(double[] vector, int heads, int hd, int position, double[] frequencies)
    {
        var half = hd / 2;
        for (var head = 0; head < heads; head++)
        {
            for (var i = 0; i < half; i++)
            {
                var angle = position * frequencies[i];
                var (a, b) = (vector[(head * hd) + i], vector[(head * hd) + i + half]);
                vector[(head * hd) + i] = (a * Math.Cos(angle)) - (b * Math.Sin(angle));
                vector[(head * hd) + i + half] = (b * Math.Cos(angle)) + (a * Math.Sin(angle));
            }
        }
    }
}
