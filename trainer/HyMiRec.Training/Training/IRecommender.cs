using HyMiRec.Model.Data;
using static TorchSharp.torch;

namespace HyMiRec.Training.Training;

/// <summary>A model the benchmark can train on a split and ask for full-catalog scores.</summary>
public interface IRecommender
{
    string Name { get; }

    long ParameterCount { get; }

    void Fit(LeaveOneOutSplit split, ITrainingReporter reporter);

    /// <summary>Scores of every item for each input sequence: [B, N + 1], column 0 is padding (ignored).</summary>
    Tensor Score(IReadOnlyList<int[]> inputs);
}
