using HyMiRec.Model.Data;

namespace HyMiRec.Training.Training;

/// <summary>The validation cases ranked during training: all of them, or a seeded sample when there are more than the cap.</summary>
public static class ValidationSample
{
    public static IReadOnlyList<EvalCase> Take(IReadOnlyList<EvalCase> cases, int maxUsers, int seed)
    {
        if (cases.Count <= maxUsers)
        {
            return cases;
        }

        var random = new Random(seed);
        var picked = Enumerable.Range(0, cases.Count).OrderBy(_ => random.Next()).Take(maxUsers).Order();
        return [.. picked.Select(i => cases[i])];
    }
}
