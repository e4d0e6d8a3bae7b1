using System.Collections.Concurrent;

namespace HyMiRec.IntegrationTests.Kafka;

/// <summary>
/// What the test recorder grains applied, kept outside the grains (all test silos share this process) so it
/// survives a silo being killed, like the real user grain's persisted state would. Deduplicates by offset per
/// partition exactly as the user grain does.
/// </summary>
internal static class ClickLedger
{
    private static readonly ConcurrentDictionary<string, UserLedger> Users = new(StringComparer.Ordinal);

    public static UserLedger For(string userId) => Users.GetOrAdd(userId, _ => new UserLedger());

    public static IReadOnlyList<string> Items(string userId) => Users.TryGetValue(userId, out var ledger) ? ledger.Items() : [];

    public static int Deliveries(string userId) => Users.TryGetValue(userId, out var ledger) ? ledger.Deliveries : 0;

    /// <summary>Makes the recorder grain of <paramref name="userId"/> fail every delivery until <paramref name="until"/> (a storage outage).</summary>
    public static void FailUntil(string userId, DateTime until) => For(userId).FailUntil = until;

    internal sealed class UserLedger
    {
        private readonly Lock _gate = new();
        private readonly List<string> _items = [];
        private readonly Dictionary<int, long> _lastOffsets = [];

        public int Deliveries { get; private set; }

        public int Failures { get; private set; }

        public DateTime FailUntil { get; set; }

        public void Apply(ClickEvent click)
        {
            lock (_gate)
            {
                Deliveries++;
                if (DateTime.UtcNow < FailUntil)
                {
                    Failures++;
                    throw new InvalidOperationException("simulated storage outage");
                }

                if (click.Source is { } source)
                {
                    if (_lastOffsets.TryGetValue(source.Partition, out var last) && source.Offset <= last)
                    {
                        return;
                    }

                    _lastOffsets[source.Partition] = source.Offset;
                }

                _items.Add(click.ItemId);
            }
        }

        public IReadOnlyList<string> Items()
        {
            lock (_gate)
            {
                return [.. _items];
            }
        }
    }
}
