using System.Globalization;

namespace HyMiRec.Model.Data;

/// <summary>
/// A generated dataset with a planted multi-interest structure and its truth: <see cref="ItemTopic"/> per item
/// index ([0] = -1 for padding) and, per user (same order as Dataset.Users), the topics mixed and their weights.
/// </summary>
public sealed record SyntheticDataset(InteractionDataset Dataset, int[] ItemTopic, int[][] UserTopics, double[][] UserTopicWeights)
{
    public const string Name = "synthetic";

    /// <summary>The options it was generated with: <see cref="SyntheticNextItem"/> needs the walk's rules.</summary>
    public SyntheticOptions Options { get; init; } = new();

    /// <summary>Items of each topic by popularity rank inside it: [topic][rank] = item index.</summary>
    public int[][] TopicItems { get; init; } = [];

    /// <summary>Each item's popularity rank inside its topic ([0] = -1 for padding).</summary>
    public int[] ItemRank { get; init; } = [];

    private const long BaseTime = 978_300_000;
    private const int MaxAttemptsPerUser = 1000;

    /// <summary>Deterministic for a given <see cref="SyntheticOptions.Seed"/> (one System.Random drives everything).</summary>
    public static SyntheticDataset Generate(SyntheticOptions? options = null)
    {
        var o = options ?? new SyntheticOptions();
        o.Validate();
        var rng = new Random(o.Seed);
        var words = SyntheticText.Vocabulary(rng, (o.Topics * o.WordsPerTopic) + o.SharedWords);

        // Which index gets which topic is shuffled so that item indices carry no topic information.
        var itemCount = o.Topics * o.ItemsPerTopic;
        var slots = Enumerable.Range(1, itemCount).ToArray();
        rng.Shuffle(slots);
        var itemTopic = new int[itemCount + 1];
        itemTopic[0] = -1;
        var itemRank = new int[itemCount + 1];
        itemRank[0] = -1;
        var topicItems = new int[o.Topics][];
        for (var t = 0; t < o.Topics; t++)
        {
            // Position in this array is the item's popularity rank inside its topic.
            topicItems[t] = slots[(t * o.ItemsPerTopic)..((t + 1) * o.ItemsPerTopic)];
            for (var rank = 0; rank < o.ItemsPerTopic; rank++)
            {
                itemTopic[topicItems[t][rank]] = t;
                itemRank[topicItems[t][rank]] = rank;
            }
        }

        var itemIds = new string[itemCount + 1];
        var itemTexts = new string[itemCount + 1];
        itemIds[0] = string.Empty;
        itemTexts[0] = string.Empty;
        for (var item = 1; item <= itemCount; item++)
        {
            itemIds[item] = item.ToString(CultureInfo.InvariantCulture);
            itemTexts[item] = SyntheticText.ItemText(rng, words, itemTopic[item], o);
        }

        var zipf = Zipf(o);

        var users = new List<UserSequence>(o.Users);
        var userTopics = new int[o.Users][];
        var userWeights = new double[o.Users][];
        for (var u = 0; u < o.Users; u++)
        {
            var topicOrder = Enumerable.Range(0, o.Topics).ToArray();
            rng.Shuffle(topicOrder);
            userTopics[u] = [.. topicOrder.Take(rng.Next(o.MinTopics, o.MaxTopics + 1)).Order()];
            var raw = userTopics[u].Select(_ => 0.5 + rng.NextDouble()).ToArray();
            userWeights[u] = [.. raw.Select(w => w / raw.Sum())];
            var length = rng.Next(o.MinLength, o.MaxLength + 1);
            var items = Walk(rng, o, userTopics[u], userWeights[u], topicItems, zipf, length);
            var times = new long[length];
            var time = BaseTime + rng.Next(0, 30 * 86_400);
            for (var i = 0; i < length; i++)
            {
                time += 1 + rng.Next(3_600);
                times[i] = time;
            }

            users.Add(new UserSequence((u + 1).ToString(CultureInfo.InvariantCulture), items, times));
        }

        var dataset = new InteractionDataset(Name, itemIds, itemTexts, users);
        return new SyntheticDataset(dataset, itemTopic, userTopics, userWeights) { Options = o, TopicItems = topicItems, ItemRank = itemRank };
    }

    /// <summary>Unnormalised popularity weight of each rank inside a topic.</summary>
    internal static double[] Zipf(SyntheticOptions o)
    {
        var zipf = new double[o.ItemsPerTopic];
        for (var r = 0; r < zipf.Length; r++)
        {
            zipf[r] = 1.0 / Math.Pow(r + 1, o.ZipfExponent);
        }

        return zipf;
    }

    /// <summary>
    /// Topic Markov chain: stay with probability p, else jump to another of the user's topics by weight. Walks that
    /// miss one of the user's topics are redrawn, so the planted truth is exactly what the sequence shows.
    /// </summary>
    private static int[] Walk(Random rng, SyntheticOptions o, int[] topics, double[] weights, int[][] topicItems, double[] zipf, int length)
    {
        var items = new int[length];
        for (var attempt = 0; attempt < MaxAttemptsPerUser; attempt++)
        {
            var seen = new bool[topics.Length];
            var current = Sample(rng, weights, -1);
            var previousRank = -1;
            for (var i = 0; i < length; i++)
            {
                if (i > 0 && topics.Length > 1 && rng.NextDouble() >= o.StayProbability)
                {
                    current = Sample(rng, weights, current);
                    previousRank = -1;
                }

                seen[current] = true;

                // Excluding the previous item's rank forbids immediate repeats within a topic.
                previousRank = Sample(rng, zipf, previousRank);
                items[i] = topicItems[topics[current]][previousRank];
            }

            if (seen.All(s => s))
            {
                return items;
            }
        }

        throw new InvalidOperationException("could not draw sequences that visit every user topic; raise MinLength or lower StayProbability");
    }

    /// <summary>Draws an index proportionally to <paramref name="weights"/>, never <paramref name="excluded"/>.</summary>
    private static int Sample(Random rng, double[] weights, int excluded)
    {
        var total = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            total += i == excluded ? 0 : weights[i];
        }

        var x = rng.NextDouble() * total;
        var last = -1;
        for (var i = 0; i < weights.Length; i++)
        {
            if (i == excluded)
            {
                continue;
            }

            last = i;
            x -= weights[i];
            if (x < 0)
            {
                return i;
            }
        }

        return last;
    }
}
