using HyMiRec.Model.Data;

namespace HyMiRec.UnitTests.Data;

public sealed class SyntheticDatasetTests
{
    [Fact]
    public void Same_seed_gives_the_same_dataset_and_another_seed_does_not()
    {
        var a = SyntheticDataset.Generate(new SyntheticOptions { Seed = 11 });
        var b = SyntheticDataset.Generate(new SyntheticOptions { Seed = 11 });
        var c = SyntheticDataset.Generate(new SyntheticOptions { Seed = 12 });

        Assert.Equal(a.Dataset.ItemTexts, b.Dataset.ItemTexts);
        Assert.Equal(a.ItemTopic, b.ItemTopic);
        Assert.Equal(a.UserTopics, b.UserTopics);
        for (var u = 0; u < a.Dataset.Users.Count; u++)
        {
            Assert.Equal(a.Dataset.Users[u].Items, b.Dataset.Users[u].Items);
            Assert.Equal(a.Dataset.Users[u].Timestamps, b.Dataset.Users[u].Timestamps);
        }

        Assert.NotEqual(a.Dataset.Users[0].Items, c.Dataset.Users[0].Items);
    }

    [Fact]
    public void Catalog_and_sequences_follow_the_options()
    {
        var options = new SyntheticOptions { Seed = 5 };
        var s = SyntheticDataset.Generate(options);
        var data = s.Dataset;

        Assert.Equal(options.Topics * options.ItemsPerTopic, data.ItemCount);
        Assert.Equal(options.Users, data.Users.Count);
        Assert.Equal(-1, s.ItemTopic[0]);
        Assert.All(
            Enumerable.Range(0, options.Topics),
            t => Assert.Equal(options.ItemsPerTopic, s.ItemTopic.Count(x => x == t)));
        Assert.All(data.ItemTexts.Skip(1), text => Assert.Contains(" | ", text, StringComparison.Ordinal));
        Assert.Equal(data.ItemCount, data.ItemTexts.Skip(1).Distinct().Count());

        foreach (var user in data.Users)
        {
            Assert.InRange(user.Items.Length, options.MinLength, options.MaxLength);
            for (var i = 1; i < user.Items.Length; i++)
            {
                Assert.NotEqual(user.Items[i - 1], user.Items[i]);
                Assert.True(user.Timestamps[i] > user.Timestamps[i - 1]);
            }
        }
    }

    [Theory]
    [InlineData(2, 4)]
    [InlineData(3, 3)]
    public void Users_really_mix_their_planted_topics(int minTopics, int maxTopics)
    {
        var s = SyntheticDataset.Generate(new SyntheticOptions { Seed = 9, MinTopics = minTopics, MaxTopics = maxTopics });
        var sizes = new HashSet<int>();
        for (var u = 0; u < s.Dataset.Users.Count; u++)
        {
            var planted = s.UserTopics[u];
            Assert.InRange(planted.Length, minTopics, maxTopics);
            Assert.Equal(planted.Length, planted.Distinct().Count());
            Assert.Equal(1.0, s.UserTopicWeights[u].Sum(), 9);
            var visited = s.Dataset.Users[u].Items.Select(i => s.ItemTopic[i]).Distinct().Order().ToArray();
            Assert.Equal(planted, visited);
            sizes.Add(planted.Length);
        }

        Assert.Equal(Enumerable.Range(minTopics, maxTopics - minTopics + 1), sizes.Order());
    }

    [Fact]
    public void Titles_carry_their_topic_words()
    {
        var s = SyntheticDataset.Generate(new SyntheticOptions { Seed = 2 });

        // A title word used by items of exactly one topic is a topic word; most title words should be such words.
        var topicsByWord = new Dictionary<string, HashSet<int>>();
        for (var item = 1; item <= s.Dataset.ItemCount; item++)
        {
            var title = s.Dataset.ItemTexts[item].Split(" | ")[0];
            foreach (var word in title.Split(' ').Where(w => !w.StartsWith('(')))
            {
                if (!topicsByWord.TryGetValue(word, out var set))
                {
                    topicsByWord[word] = set = [];
                }

                set.Add(s.ItemTopic[item]);
            }
        }

        var pure = topicsByWord.Values.Count(set => set.Count == 1);
        Assert.True(pure >= 8 * 10, $"only {pure} topic-specific words");
    }

    [Fact]
    public void Infeasible_options_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => SyntheticDataset.Generate(new SyntheticOptions { MinTopics = 5, MaxTopics = 4 }));
        Assert.Throws<ArgumentException>(() => SyntheticDataset.Generate(new SyntheticOptions { MaxTopics = 9 }));
    }
}
