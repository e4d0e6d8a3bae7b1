using HyMiRec.Model.Data;
using static TorchSharp.torch;

namespace HyMiRec.Training.Training;

/// <summary>
/// Ranks by the generator's own next-item probabilities (<see cref="SyntheticNextItem"/>), knowing each user's
/// planted topics and weights: the ceiling a benchmark row on generated data is measured against. It learns nothing;
/// it recognises a user by the history it is asked about, which is a prefix of that user's generated sequence.
/// </summary>
public sealed class SyntheticOracleRecommender(SyntheticDataset truth) : IRecommender
{
    private Dictionary<int, int[]>? _usersByFirstItem;

    public string Name => "oracle";

    public long ParameterCount => 0;

    public void Fit(LeaveOneOutSplit split, ITrainingReporter reporter)
    {
        var users = split.Dataset.Users;
        var generated = truth.Dataset.Users;
        if (users.Count != generated.Count || Enumerable.Range(0, users.Count).Any(u => !users[u].Items.AsSpan().SequenceEqual(generated[u].Items)))
        {
            throw new InvalidOperationException($"the oracle knows the generated data it was built with, not dataset {split.Dataset.Name} " +
                "(a different seed or size?)");
        }

        _usersByFirstItem = Enumerable.Range(0, users.Count).Where(u => users[u].Items.Length > 0)
            .GroupBy(u => users[u].Items[0]).ToDictionary(g => g.Key, g => g.ToArray());
        reporter.Message(Name, $"ranking by the generator's next-item probabilities for {users.Count} users");
    }

    public Tensor Score(IReadOnlyList<int[]> inputs)
    {
        var scores = new float[inputs.Count, truth.ItemTopic.Length];
        for (var b = 0; b < inputs.Count; b++)
        {
            var probabilities = SyntheticNextItem.Probabilities(truth, UserOf(inputs[b]), inputs[b]);
            for (var item = 1; item < probabilities.Length; item++)
            {
                scores[b, item] = (float)probabilities[item];
            }
        }

        return tensor(scores); // [B, N + 1]
    }

    private int UserOf(int[] input)
    {
        var byFirstItem = _usersByFirstItem ?? throw new InvalidOperationException("the oracle is not fitted");
        if (input.Length > 0 && byFirstItem.TryGetValue(input[0], out var candidates))
        {
            foreach (var user in candidates)
            {
                if (truth.Dataset.Users[user].Items.AsSpan().StartsWith(input))
                {
                    return user;
                }
            }
        }

        throw new ArgumentException("the oracle scores only histories that begin a generated user's sequence", nameof(input));
    }
}
