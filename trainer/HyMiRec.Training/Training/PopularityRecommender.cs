using HyMiRec.Model.Data;
using static TorchSharp.torch;

namespace HyMiRec.Training.Training;

/// <summary>Scores every item by its interaction count in the training sequences.</summary>
public sealed class PopularityRecommender : IRecommender
{
    private Tensor? _counts;

    public string Name => "popularity";

    public long ParameterCount => _counts is null ? 0 : _counts.shape[0];

    public void Fit(LeaveOneOutSplit split, ITrainingReporter reporter)
    {
        var counts = new float[split.Dataset.ItemCount + 1];
        foreach (var sequence in split.Train)
        {
            foreach (var item in sequence)
            {
                counts[item]++;
            }
        }

        _counts?.Dispose();
        _counts = tensor(counts);
        reporter.Message(Name, $"counted {split.Train.Sum(s => (long)s.Length)} training interactions");
    }

    public Tensor Score(IReadOnlyList<int[]> inputs)
    {
        var counts = _counts ?? throw new InvalidOperationException("popularity model is not fitted");
        return counts.unsqueeze(0).expand(inputs.Count, -1); // [B, N + 1]
    }
}
