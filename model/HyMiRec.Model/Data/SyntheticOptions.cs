namespace HyMiRec.Model.Data;

/// <summary>Knobs of the planted multi-interest generator; the defaults give a small, quickly learnable set.</summary>
public sealed record SyntheticOptions
{
    public int Seed { get; init; } = 42;

    public int Topics { get; init; } = 8;

    public int ItemsPerTopic { get; init; } = 40;

    public int Users { get; init; } = 300;

    public int MinTopics { get; init; } = 2;

    public int MaxTopics { get; init; } = 4;

    public int MinLength { get; init; } = 30;

    public int MaxLength { get; init; } = 80;

    /// <summary>Probability that the next item stays in the current topic.</summary>
    public double StayProbability { get; init; } = 0.8;

    /// <summary>Popularity skew inside a topic: the item of popularity rank r has weight 1 / (r + 1)^s.</summary>
    public double ZipfExponent { get; init; } = 1.0;

    /// <summary>Words owned by each topic; titles draw from these, so text carries the topic.</summary>
    public int WordsPerTopic { get; init; } = 12;

    /// <summary>Words any topic may use; they are noise a text encoder must learn to ignore.</summary>
    public int SharedWords { get; init; } = 16;

    public int TopicWordsPerTitle { get; init; } = 3;

    /// <summary>
    /// A large, sparse catalog with the same planted structure: <paramref name="items"/> / 100 topics of 100 items
    /// (Zipf popularity inside each), users with 1 to 3 topics and 4 to 14 events (median 9), staying in a topic with
    /// probability 0.8. Learnable (the topic of the last items predicts the next), yet global popularity knows little,
    /// because no topic is more popular than another.
    /// </summary>
    public static SyntheticOptions Sparse(int users, int items, int seed = 42)
    {
        if (users < 1 || items < 200 || items % 100 != 0)
        {
            throw new ArgumentException($"sparse synthetic data needs users >= 1 and a multiple of 100 items >= 200, got {users} users, {items} items");
        }

        return new SyntheticOptions
        {
            Seed = seed, Users = users, Topics = items / 100, ItemsPerTopic = 100, MinTopics = 1, MaxTopics = 3,
            MinLength = 4, MaxLength = 14, StayProbability = 0.8,
        };
    }

    internal void Validate()
    {
        if (Topics < 1 || ItemsPerTopic < 2 || Users < 1 || WordsPerTopic < 1 || SharedWords < 1 || TopicWordsPerTitle < 1)
        {
            throw new ArgumentException("Topics, Users, word counts must be >= 1 and ItemsPerTopic >= 2");
        }

        if (MinTopics < 1 || MaxTopics < MinTopics || MaxTopics > Topics)
        {
            throw new ArgumentException("need 1 <= MinTopics <= MaxTopics <= Topics");
        }

        if (MinLength < Math.Max(2, MaxTopics) || MaxLength < MinLength)
        {
            throw new ArgumentException("need max(2, MaxTopics) <= MinLength <= MaxLength so every user can visit all topics");
        }

        if (StayProbability is < 0 or >= 1 || ZipfExponent < 0)
        {
            throw new ArgumentException("StayProbability must be in [0, 1) and ZipfExponent >= 0");
        }
    }
}
