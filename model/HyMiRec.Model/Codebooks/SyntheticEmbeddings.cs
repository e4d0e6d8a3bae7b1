using static TorchSharp.torch;

namespace HyMiRec.Model.Codebooks;

/// <summary>Seeded item embeddings with two-level cluster structure, so a multi-layer codebook has something to find.</summary>
public static class SyntheticEmbeddings
{
    /// <summary>
    /// L2-normalised [count, dimension] float32 rows: a coarse topic direction, plus a weaker sub-topic direction,
    /// plus isotropic noise. Coarse layers capture the topic, later layers the sub-topic.
    /// </summary>
    public static Tensor Generate(int count, int dimension, int seed)
    {
        if (count < 1 || dimension < 1)
        {
            throw new ArgumentException($"synthetic embeddings need count >= 1 and dimension >= 1, got {count}, {dimension}");
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator((ulong)seed);
        var topics = Math.Max(2, (int)Math.Sqrt(count) / 2);
        const int subTopics = 8;
        var topicDirections = nn.functional.normalize(randn(topics, dimension, generator: generator), dim: 1);
        var subDirections = nn.functional.normalize(randn(topics * subTopics, dimension, generator: generator), dim: 1);
        var topic = randint(0, topics, [count], generator: generator);
        var sub = topic.mul(subTopics).add_(randint(0, subTopics, [count], generator: generator));
        var noise = randn(count, dimension, generator: generator).div_(Math.Sqrt(dimension));
        var rows = topicDirections.index_select(0, topic)
            .add_(subDirections.index_select(0, sub).mul_(0.6))
            .add_(noise.mul_(0.35));
        return nn.functional.normalize(rows, dim: 1).MoveToOuterDisposeScope();
    }
}
