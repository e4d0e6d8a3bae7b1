using System.Diagnostics;

namespace HyMiRec.IntegrationTests.ScaleOut;

/// <summary>
/// From the kill on: per partition, the time until the first click produced to it after the kill is visible in its
/// user's history (so the partition is consumed again), and the time until the membership table declares the
/// killed silo dead. Polls a few times a second; gives up at <c>limit</c> and reports what was still missing.
/// </summary>
internal sealed class RecoveryWatch
{
    private readonly Dictionary<int, TimeSpan> _recovered = [];

    public IReadOnlyDictionary<int, TimeSpan> Recovered => _recovered;

    public TimeSpan? DeclaredDead { get; private set; }

    /// <summary>The slowest partition's recovery; null when some partition never recovered.</summary>
    public TimeSpan? Slowest(int partitions) => _recovered.Count == partitions ? _recovered.Values.Max() : null;

    public async Task RunAsync(HttpClient http, ClickStream stream, Func<Uri[]> silos, int partitions, long killedAt,
        Func<Task<bool>> declaredDead, TimeSpan limit)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        var round = 0;
        while ((_recovered.Count < partitions || DeclaredDead is null) && Stopwatch.GetElapsedTime(killedAt) < limit)
        {
            if (DeclaredDead is null && await declaredDead())
            {
                DeclaredDead = Stopwatch.GetElapsedTime(killedAt);
            }

            for (var p = 0; p < partitions; p++)
            {
                if (_recovered.ContainsKey(p) || stream.ProbeOf(p) is not { } probe)
                {
                    continue;
                }

                var targets = silos();
                var sequences = await Histories.SequencesAsync(http, targets[round++ % targets.Length], probe.User, 1000);
                if (sequences is not null && sequences.Contains(probe.Sequence))
                {
                    _recovered[p] = Stopwatch.GetElapsedTime(killedAt);
                }
            }

            await timer.WaitForNextTickAsync();
        }
    }
}
