namespace HyMiRec.Model.Data;

/// <summary>A prediction case: the model sees <see cref="Input"/> and must rank <see cref="Target"/> first.</summary>
public sealed record EvalCase(int UserIndex, int[] Input, int Target);

/// <summary>
/// Leave-one-out: per user the last item is the test target, the second-to-last the validation target, the rest
/// is training. Users with fewer than 3 interactions only contribute to training.
/// </summary>
public sealed class LeaveOneOutSplit
{
    private LeaveOneOutSplit(InteractionDataset dataset, int[][] train, EvalCase[] validation, EvalCase[] test)
    {
        Dataset = dataset;
        Train = train;
        Validation = validation;
        Test = test;
    }

    public InteractionDataset Dataset { get; }

    /// <summary>Training sequence per user (same order as Dataset.Users).</summary>
    public int[][] Train { get; }

    /// <summary>Input = training sequence, target = second-to-last item.</summary>
    public EvalCase[] Validation { get; }

    /// <summary>Input = training sequence + validation item, target = last item.</summary>
    public EvalCase[] Test { get; }

    public static LeaveOneOutSplit Create(InteractionDataset dataset)
    {
        var train = new int[dataset.Users.Count][];
        var validation = new List<EvalCase>();
        var test = new List<EvalCase>();
        for (var u = 0; u < dataset.Users.Count; u++)
        {
            var items = dataset.Users[u].Items;
            if (items.Length < 3)
            {
                train[u] = items;
                continue;
            }

            train[u] = items[..^2];
            validation.Add(new EvalCase(u, train[u], items[^2]));
            test.Add(new EvalCase(u, items[..^1], items[^1]));
        }

        return new LeaveOneOutSplit(dataset, train, [.. validation], [.. test]);
    }
}
