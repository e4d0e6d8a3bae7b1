namespace HyMiRec.Model.Data;

/// <summary>
/// The generator's own distribution of a user's next item (<see cref="SyntheticDataset"/>'s walk): ranking by it is
/// the best any model can do on that data, so a benchmark can state how far from the ceiling each model is. The
/// redrawing of walks that miss a topic is ignored; it changes these probabilities only for the first few items.
/// </summary>
public static class SyntheticNextItem
{
    /// <summary>
    /// P(next item | history) for user <paramref name="user"/> (index into Dataset.Users): [N + 1], column 0 (padding) 0.
    /// After an item the walk stays in its topic with <see cref="SyntheticOptions.StayProbability"/> and then never
    /// repeats its rank, or jumps to another of the user's topics by weight; items of other topics have probability 0.
    /// </summary>
    public static double[] Probabilities(SyntheticDataset truth, int user, ReadOnlySpan<int> history)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(user);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(user, truth.UserTopics.Length);
        var options = truth.Options;
        var topics = truth.UserTopics[user];
        var weights = truth.UserTopicWeights[user];
        var zipf = SyntheticDataset.Zipf(options);
        var probabilities = new double[truth.ItemTopic.Length];
        if (history.IsEmpty)
        {
            for (var j = 0; j < topics.Length; j++)
            {
                AddTopic(probabilities, truth.TopicItems[topics[j]], zipf, weights[j], excludedRank: -1);
            }

            return probabilities;
        }

        var last = history[^1];
        var current = Array.IndexOf(topics, truth.ItemTopic[last]);
        if (current < 0)
        {
            throw new ArgumentException($"item {last} (topic {truth.ItemTopic[last]}) is not in user {user}'s topics", nameof(history));
        }

        var stay = topics.Length > 1 ? options.StayProbability : 1.0;
        AddTopic(probabilities, truth.TopicItems[topics[current]], zipf, stay, excludedRank: truth.ItemRank[last]);
        var others = weights.Sum() - weights[current];
        for (var j = 0; j < topics.Length; j++)
        {
            if (j != current)
            {
                AddTopic(probabilities, truth.TopicItems[topics[j]], zipf, (1 - stay) * weights[j] / others, excludedRank: -1);
            }
        }

        return probabilities;
    }

    private static void AddTopic(double[] probabilities, int[] itemsByRank, double[] zipf, double mass, int excludedRank)
    {
        var total = zipf.Sum() - (excludedRank >= 0 ? zipf[excludedRank] : 0);
        for (var rank = 0; rank < itemsByRank.Length; rank++)
        {
            if (rank != excludedRank)
            {
                probabilities[itemsByRank[rank]] += mass * zipf[rank] / total;
            }
        }
    }
}
