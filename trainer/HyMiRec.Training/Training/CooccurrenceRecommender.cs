using HyMiRec.Model.Data;
using static TorchSharp.torch;

namespace HyMiRec.Training.Training;

/// <summary>
/// A count baseline with no training: two items are neighbours each time they sit within <see cref="Window"/>
/// positions of each other in a training sequence (either order), and a user is scored by summing the neighbour
/// counts of the last <see cref="Recent"/> items of the input; popularity breaks ties. Both constants were fixed
/// before the first run and are not tuned. It shows how much of a sequential model's ranking short-range item
/// neighbourhoods already give (docs/benchmarks.md, "Test traced beside validation").
/// </summary>
public sealed class CooccurrenceRecommender : IRecommender
{
    public const int Window = 5;

    public const int Recent = 5;

    /// <summary>The table is dense, (N + 1)^2 floats: 400 MB at this size, so larger catalogs are refused.</summary>
    public const int MaxItems = 10_000;

    private Tensor? _neighbours;
    private Tensor? _tieBreak;

    public string Name => "cooccurrence";

    public long ParameterCount { get; private set; }

    public void Fit(LeaveOneOutSplit split, ITrainingReporter reporter)
    {
        var size = split.Dataset.ItemCount + 1;
        if (split.Dataset.ItemCount > MaxItems)
        {
            throw new InvalidOperationException(
                $"the co-occurrence baseline keeps a dense item x item table and takes at most {MaxItems} items; {split.Dataset.Name} has {split.Dataset.ItemCount}");
        }

        var counts = new float[(long)size * size];
        var popularity = new float[size];
        foreach (var sequence in split.Train)
        {
            for (var k = 0; k < sequence.Length; k++)
            {
                var a = sequence[k];
                popularity[a]++;
                for (var j = Math.Max(0, k - Window); j < k; j++)
                {
                    var b = sequence[j];
                    counts[(long)a * size + b]++;
                    counts[(long)b * size + a]++;
                }
            }
        }

        ParameterCount = counts.LongCount(c => c != 0);
        var most = popularity.Max();

        // Below one count, so popularity only orders items whose neighbour counts are equal.
        var tieBreak = popularity.Select(p => p / (most + 1)).ToArray();
        tieBreak[0] = 0;
        _neighbours?.Dispose();
        _tieBreak?.Dispose();
        _neighbours = tensor(counts).view(size, size); // [N+1, N+1], row 0 (padding) all zero
        _tieBreak = tensor(tieBreak); // [N+1]
        reporter.Message(Name, $"{ParameterCount:N0} neighbour pairs within {Window} positions, users scored from their last {Recent} items");
    }

    public Tensor Score(IReadOnlyList<int[]> inputs)
    {
        var neighbours = _neighbours ?? throw new InvalidOperationException("co-occurrence model is not fitted");
        var recent = new long[inputs.Count * Recent]; // left-padded with item 0, whose row is zero
        for (var b = 0; b < inputs.Count; b++)
        {
            var input = inputs[b];
            var take = Math.Min(Recent, input.Length);
            for (var r = 0; r < take; r++)
            {
                recent[b * Recent + Recent - take + r] = input[input.Length - take + r];
            }
        }

        using var rows = tensor(recent);
        var summed = neighbours.index_select(0, rows).view(inputs.Count, Recent, -1).sum(1); // [B, N+1]
        return summed.add_(_tieBreak!.unsqueeze(0)); // [B, N+1]
    }
}
