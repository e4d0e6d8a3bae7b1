using HyMiRec.Model.Interests;
using HyMiRec.Model.Losses;
using static TorchSharp.torch;

namespace HyMiRec.UnitTests.Interests;

public sealed class DmilLossTests
{
    [Fact]
    public void Clustering_separates_two_directions_and_keeps_every_group()
    {
        float[] vectors = [1, 0, 0.96f, 0.28f, 0, 1, 0.28f, 0.96f];
        var (assignment, centroids) = TargetClustering.Cluster(vectors, 4, 2, 2);
        Assert.Equal(assignment[0], assignment[1]);
        Assert.Equal(assignment[2], assignment[3]);
        Assert.NotEqual(assignment[0], assignment[2]);
        Assert.Equal(1.0, Math.Sqrt((centroids[0] * centroids[0]) + (centroids[1] * centroids[1])), 5);

        var (same, _) = TargetClustering.Cluster([1, 0, 1, 0, 1, 0], 3, 2, 2);
        Assert.Equal(2, same.Distinct().Count());
    }

    [Fact]
    public void Hungarian_matching_never_shares_an_interest_but_max_matching_may()
    {
        // Both groups prefer interest 0; Hungarian gives group 1 the second interest because 0.9 + 0.7 > 0.8 + 0.1.
        float[] centroids = [1, 0, 0.8f, 0.6f];
        float[] interests = [0.9f, 0.436f, 0.1f, 0.995f];
        var hungarian = new DmilLoss(10, 10, 0.1, InterestMatching.Hungarian).Match(centroids, 2, interests, 2, 2);
        var max = new DmilLoss(10, 10, 0.1, InterestMatching.Max).Match(centroids, 2, interests, 2, 2);
        Assert.Equal([0, 1], hungarian);
        Assert.Equal([0, 0], max);
    }

    [Fact]
    public void One_interest_one_target_is_full_softmax_cross_entropy_of_cosines()
    {
        float[] table = [0, 0, 1, 0, 0, 2, 1, 1]; // items 1..3
        float[] interest = [0.6f, 0.8f];
        long[] target = [2];
        var loss = new DmilLoss(3, 3, 0.5, InterestMatching.Hungarian)
            .Compute(tensor(interest).view(1, 1, 2), tensor(target).view(1, 1), tensor(table).view(4, 2));

        double[] cosines = [0.6, 0.8, (0.6 + 0.8) / Math.Sqrt(2)];
        var expected = -(cosines[1] / 0.5) + Math.Log(cosines.Sum(c => Math.Exp(c / 0.5)));
        Assert.Equal(expected, loss.item<float>(), 4);
    }

    [Fact]
    public void Each_target_is_scored_against_the_interest_matched_to_its_group()
    {
        // Items 1-2 point one way, items 3-4 another. Matching pairs each target group with the interest that fits it,
        // so the order of the interests does not matter, and two matched interests beat one blended interest.
        float[] table = [0, 0, 1, 0, 0.98f, 0.2f, 0, 1, 0.2f, 0.98f];
        float[] ordered = [1, 0, 0, 1];
        float[] reversed = [0, 1, 1, 0];
        float[] blended = [0.707f, 0.707f];
        long[] window = [1, 3, 2, 4];
        var items = tensor(table).view(5, 2);
        var targets = tensor(window).view(1, 4);
        var loss = new DmilLoss(4, 4, 0.1, InterestMatching.Hungarian);
        var aligned = loss.Compute(tensor(ordered).view(1, 2, 2), targets, items).item<float>();
        var swapped = loss.Compute(tensor(reversed).view(1, 2, 2), targets, items).item<float>();
        Assert.Equal(aligned, swapped, 4);

        var single = loss.Compute(tensor(blended).view(1, 1, 2), targets, items).item<float>();
        Assert.True(aligned < single - 0.5, $"two matched interests {aligned} should beat one blended interest {single}");
    }
}
