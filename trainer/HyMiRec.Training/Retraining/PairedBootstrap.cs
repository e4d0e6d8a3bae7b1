namespace HyMiRec.Training.Retraining;

/// <summary>
/// Percentile bootstrap of mean paired differences: each resample draws users with replacement and the same draw is
/// used for every metric, so the metrics' intervals describe the same resampled populations.
/// </summary>
public static class PairedBootstrap
{
    /// <summary>
    /// Mean and (<paramref name="confidence"/>) interval of each row of <paramref name="differences"/> (one row per
    /// metric, one column per user). Deterministic for a given <paramref name="seed"/>.
    /// </summary>
    public static (double Mean, double Lower, double Upper)[] Intervals(IReadOnlyList<double[]> differences, int resamples, double confidence, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (confidence is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), "confidence must be between 0 and 1");
        }

        var users = differences.Count == 0 ? 0 : differences[0].Length;
        if (users == 0 || differences.Any(d => d.Length != users))
        {
            throw new ArgumentException("need the same, non-zero number of users for every metric", nameof(differences));
        }

        var means = new double[differences.Count][];
        for (var m = 0; m < means.Length; m++)
        {
            means[m] = new double[resamples];
        }

        // System.Random with a seed is the fixed legacy generator, so a seed reproduces across runs and hosts.
        var random = new Random(seed);
        var sums = new double[differences.Count];
        for (var b = 0; b < resamples; b++)
        {
            Array.Clear(sums);
            for (var i = 0; i < users; i++)
            {
                var user = random.Next(users);
                for (var m = 0; m < sums.Length; m++)
                {
                    sums[m] += differences[m][user];
                }
            }

            for (var m = 0; m < sums.Length; m++)
            {
                means[m][b] = sums[m] / users;
            }
        }

        var alpha = 1 - confidence;
        return [.. differences.Select((d, m) =>
        {
            Array.Sort(means[m]);
            return (d.Average(), Quantile(means[m], alpha / 2), Quantile(means[m], 1 - (alpha / 2)));
        })];
    }

    /// <summary>Linear interpolation between order statistics (type 7), on a sorted array.</summary>
    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}
