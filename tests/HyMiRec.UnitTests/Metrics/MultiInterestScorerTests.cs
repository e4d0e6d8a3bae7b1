using HyMiRec.Model.Metrics;
using TorchSharp;

namespace HyMiRec.UnitTests.Metrics;

public sealed class MultiInterestScorerTests
{
    [Fact]
    public void Score_is_best_cosine_over_interests()
    {
        using var scope = torch.NewDisposeScope();

        // User 0: interests along x and (scaled) y. User 1: a single direction repeated.
        var interests = torch.tensor(new float[] { 1, 0, 0, 2, /* user 1 */ -1, 0, -3, 0 }, [2, 2, 2]);
        var items = torch.tensor(new float[] { 0, 0, 1, 1, -1, 0, 3, 4 }, [4, 2]);
        var scores = MultiInterestScorer.Score(interests, items);

        Assert.Equal([2L, 4L], scores.shape);
        var s = scores.data<float>().ToArray();
        var half = (float)(1 / Math.Sqrt(2));
        float[] expected = [0f, half, 0f, 0.8f, /* user 1 */ 0f, -half, 1f, -0.6f];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], s[i], 5);
        }
    }

    [Fact]
    public void Score_rejects_mismatched_dimensions()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Throws<ArgumentException>(() => MultiInterestScorer.Score(torch.zeros(1, 2, 3), torch.zeros(5, 4)));
    }
}
