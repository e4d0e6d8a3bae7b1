namespace HyMiRec.Training.Retraining;

/// <summary>
/// One model's holdout metrics per user, in the order of the holdout cases, so two models scored on the same cases
/// can be compared user by user (the publish gate's paired bootstrap) and not only by their means.
/// </summary>
public sealed class HoldoutScores
{
    private readonly Dictionary<string, double[]> _perUser;

    public HoldoutScores(IReadOnlyDictionary<string, double[]> perUser)
    {
        _perUser = new Dictionary<string, double[]>(perUser, StringComparer.Ordinal);
        var lengths = _perUser.Values.Select(v => v.Length).Distinct().ToArray();
        if (lengths.Length > 1)
        {
            throw new ArgumentException("every metric needs one value per holdout user", nameof(perUser));
        }

        Users = lengths.Length == 0 ? 0 : lengths[0];
    }

    public int Users { get; }

    public IReadOnlyCollection<string> Metrics => _perUser.Keys;

    public bool Has(string metric) => _perUser.ContainsKey(metric);

    public IReadOnlyList<double> PerUser(string metric) => _perUser[metric];

    /// <summary>Holdout means (0 for an empty holdout, as the evaluator always reported).</summary>
    public IReadOnlyDictionary<string, double> Means() =>
        _perUser.ToDictionary(kv => kv.Key, kv => Users == 0 ? 0 : kv.Value.Average(), StringComparer.Ordinal);
}
