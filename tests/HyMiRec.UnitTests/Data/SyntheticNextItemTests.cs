using HyMiRec.Model.Data;

namespace HyMiRec.UnitTests.Data;

/// <summary>The generator's next-item distribution, which the benchmark's oracle ranks by.</summary>
public sealed class SyntheticNextItemTests
{
    private static readonly SyntheticDataset Planted = SyntheticDataset.Generate(new SyntheticOptions
    {
        Seed = 3, Users = 300, Topics = 8, ItemsPerTopic = 20, MinTopics = 3, MaxTopics = 3, MinLength = 40, MaxLength = 70, StayProbability = 0.3,
    });

    [Fact]
    public void Every_step_the_walk_took_has_a_probability_and_they_sum_to_one()
    {
        for (var u = 0; u < Planted.Dataset.Users.Count; u++)
        {
            var items = Planted.Dataset.Users[u].Items;
            for (var i = 0; i < items.Length; i++)
            {
                var p = SyntheticNextItem.Probabilities(Planted, u, items.AsSpan(0, i));
                Assert.Equal(1.0, p.Sum(), 9);
                Assert.Equal(0, p[0]);
                Assert.True(p[items[i]] > 0, $"user {u}, step {i}: item {items[i]} was drawn with probability 0");
                Assert.All(Enumerable.Range(1, p.Length - 1).Where(item => !Planted.UserTopics[u].Contains(Planted.ItemTopic[item])), item => Assert.Equal(0, p[item]));
                if (i > 0)
                {
                    Assert.Equal(0, p[items[i - 1]]); // the walk never repeats an item at once
                }
            }
        }
    }

    /// <summary>
    /// If X is drawn from P, E[P(X)] = sum of P(x)^2: averaged over the walk's own steps, the probability of the item
    /// drawn must match that expectation. A wrong stay rule or rank exclusion moves the two apart.
    /// </summary>
    [Fact]
    public void Probabilities_match_the_frequencies_of_the_generated_walks()
    {
        double drawn = 0, expected = 0;
        var steps = 0;
        for (var u = 0; u < Planted.Dataset.Users.Count; u++)
        {
            var items = Planted.Dataset.Users[u].Items;
            for (var i = 1; i < items.Length; i++)
            {
                var p = SyntheticNextItem.Probabilities(Planted, u, items.AsSpan(0, i));
                drawn += p[items[i]];
                expected += p.Sum(x => x * x);
                steps++;
            }
        }

        Assert.True(steps > 10_000);
        Assert.InRange(drawn / expected, 0.97, 1.03);
    }

    [Fact]
    public void A_history_outside_the_users_topics_is_refused()
    {
        var foreign = Enumerable.Range(1, Planted.Dataset.ItemCount).First(item => !Planted.UserTopics[0].Contains(Planted.ItemTopic[item]));
        Assert.Throws<ArgumentException>(() => SyntheticNextItem.Probabilities(Planted, 0, [foreign]));
    }
}
