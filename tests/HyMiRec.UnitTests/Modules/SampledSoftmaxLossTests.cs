using HyMiRec.Model.Losses;
using static TorchSharp.torch;

namespace HyMiRec.UnitTests.Modules;

public sealed class SampledSoftmaxLossTests
{
    [Fact]
    public void Full_softmax_matches_a_hand_computed_cross_entropy()
    {
        // Items 1..3 (row 0 padding); query q = (1, 0); dot logits 2, 0, -1 for target item 1.
        var items = tensor(new float[] { 9, 9, 2, 0, 0, 1, -1, 0 }, [4, 2]);
        var query = tensor(new float[] { 1, 0 }, [1, 2]);
        var loss = new SampledSoftmaxLoss(itemCount: 3, negatives: 3, temperature: null);

        var value = loss.Compute(query, tensor(new long[] { 1 }), items).item<float>();

        var expected = -Math.Log(Math.Exp(2) / (Math.Exp(2) + Math.Exp(0) + Math.Exp(-1)));
        Assert.True(loss.IsFullSoftmax);
        Assert.Equal(expected, value, 5);
    }

    [Fact]
    public void A_sampled_negative_equal_to_the_positive_is_masked()
    {
        // Two items only: every sampled negative is item 1 or 2; the positive is item 1 and sampled copies of it
        // must not count, so the loss equals the two-way softmax of item 1 against item 2 (or 0 if only 1s drawn).
        var items = tensor(new float[] { 0, 0, 1, 0, 0, 1 }, [3, 2]);
        var query = tensor(new float[] { 3, 1 }, [1, 2]);
        var loss = new SampledSoftmaxLoss(itemCount: 2, negatives: 1, temperature: null);
        var generator = new Generator(5);
        var twoWay = -Math.Log(Math.Exp(3) / (Math.Exp(3) + Math.Exp(1)));
        for (var draw = 0; draw < 20; draw++)
        {
            var value = loss.Compute(query, tensor(new long[] { 1 }), items, generator).item<float>();
            Assert.True(Math.Abs(value) < 1e-6 || Math.Abs(value - twoWay) < 1e-5, $"loss {value}");
        }
    }

    [Fact]
    public void Temperature_scales_cosine_logits()
    {
        var items = tensor(new float[] { 0, 0, 2, 0, 0, 5 }, [3, 2]);
        var query = tensor(new float[] { 10, 0 }, [1, 2]);
        var loss = new SampledSoftmaxLoss(itemCount: 2, negatives: 2, temperature: 0.5);

        var value = loss.Compute(query, tensor(new long[] { 1 }), items).item<float>();

        // Cosines are 1 and 0, so logits 2 and 0.
        Assert.Equal(-Math.Log(Math.Exp(2) / (Math.Exp(2) + 1)), value, 5);
    }
}
