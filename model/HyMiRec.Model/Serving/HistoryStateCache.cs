namespace HyMiRec.Model.Serving;

/// <summary>Cumulative figures of a <see cref="HistoryStateCache"/>.</summary>
/// <param name="ReusedEvents">History events whose states came from the cache.</param>
/// <param name="ComputedEvents">History events of keyed requests computed anew.</param>
public readonly record struct HistoryStateStats(long Requests, long Hits, long ReusedEvents, long ComputedEvents, long Entries, long Bytes);

/// <summary>
/// Per-user states of the lightweight recommender's history tokens (the output of every block but the last at each
/// event), kept between a user's recomputes so that a pass computes only the events added since
/// (<see cref="Interests.CoarseRecommender.RunIncremental"/>). An entry serves as many leading events of a request's
/// history window as repeat the stored codes and magnitudes exactly: a state depends only on the events up to it, so
/// equal inputs give equal states, and a history that changed or whose window slid is recomputed from the first
/// difference. Each loaded model has its own cache, so states never outlive the weights that made them.
/// The least recently used entries go first once <see cref="CapacityBytes"/> is reached. Thread-safe.
/// </summary>
public sealed class HistoryStateCache
{
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new(); // most recently used first
    private readonly Lock _gate = new();
    private long _bytes;
    private long _requests;
    private long _hits;
    private long _reused;
    private long _computed;

    /// <param name="capacityBytes">Most bytes of states and inputs held (arrays as allocated).</param>
    /// <param name="rowWidth">Floats kept per event: (coarse blocks - 1) x dimension.</param>
    public HistoryStateCache(long capacityBytes, int rowWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowWidth);
        CapacityBytes = capacityBytes;
        RowWidth = rowWidth;
    }

    public long CapacityBytes { get; }

    public int RowWidth { get; }

    public HistoryStateStats Stats
    {
        get
        {
            lock (_gate)
            {
                return new HistoryStateStats(_requests, _hits, _reused, _computed, _entries.Count, _bytes);
            }
        }
    }

    /// <summary>
    /// Copies the stored states of the leading events of <paramref name="codes"/> (row-major [events, layers]) that the
    /// entry of <paramref name="key"/> holds for the same inputs into <paramref name="destination"/> ([events, RowWidth]),
    /// and returns how many events that is (0 without an entry).
    /// </summary>
    public int CopyKnown(string key, ReadOnlySpan<ushort> codes, ReadOnlySpan<Half> magnitudes, int layers, Span<float> destination)
    {
        var events = codes.Length / layers;
        if (destination.Length != events * RowWidth)
        {
            throw new ArgumentException($"destination holds {destination.Length} floats, not {events} x {RowWidth}");
        }

        lock (_gate)
        {
            _requests++;
            var known = 0;
            if (_entries.TryGetValue(key, out var node))
            {
                var entry = node.Value;
                var same = codes.CommonPrefixLength(entry.Codes.AsSpan(0, entry.Events * layers));
                if (magnitudes.Length > 0 || entry.Magnitudes.Length > 0)
                {
                    same = Math.Min(same, magnitudes.CommonPrefixLength(entry.Magnitudes.AsSpan(0, Math.Min(entry.Magnitudes.Length, entry.Events * layers))));
                }

                known = same / layers;
                entry.States.AsSpan(0, known * RowWidth).CopyTo(destination);
                _recency.Remove(node);
                _recency.AddFirst(node);
            }

            _hits += known > 0 ? 1 : 0;
            _reused += known;
            _computed += events - known;
            return known;
        }
    }

    /// <summary>Keeps <paramref name="states"/> ([events, RowWidth]) as the states of the history <paramref name="codes"/> of <paramref name="key"/>.</summary>
    public void Store(string key, ReadOnlySpan<ushort> codes, ReadOnlySpan<Half> magnitudes, int layers, ReadOnlySpan<float> states)
    {
        var events = codes.Length / layers;
        if (states.Length != events * RowWidth || (magnitudes.Length != 0 && magnitudes.Length != codes.Length))
        {
            throw new ArgumentException($"states ({states.Length}) and magnitudes ({magnitudes.Length}) do not fit {events} events of {layers} codes");
        }

        lock (_gate)
        {
            Entry entry;
            if (_entries.TryGetValue(key, out var node))
            {
                entry = node.Value;
                _recency.Remove(node);
                _bytes -= entry.Bytes;
            }
            else
            {
                entry = new Entry(key);
                node = new LinkedListNode<Entry>(entry);
                _entries.Add(key, node);
            }

            entry.Fill(events, codes, magnitudes, states);
            if (entry.Bytes > CapacityBytes)
            {
                _entries.Remove(key);
                return;
            }

            _recency.AddFirst(node);
            _bytes += entry.Bytes;
            while (_bytes > CapacityBytes && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
                _bytes -= oldest.Value.Bytes;
            }
        }
    }

    /// <summary>One user's inputs and states; arrays keep room to spare so that a click rarely reallocates them.</summary>
    private sealed class Entry(string key)
    {
        public string Key { get; } = key;

        public int Events { get; private set; }

        public ushort[] Codes { get; private set; } = [];

        public Half[] Magnitudes { get; private set; } = [];

        public float[] States { get; private set; } = [];

        public long Bytes => (Codes.Length * sizeof(ushort)) + (Magnitudes.Length * 2L) + (States.Length * sizeof(float)) + (Key.Length * 2L);

        public void Fill(int events, ReadOnlySpan<ushort> codes, ReadOnlySpan<Half> magnitudes, ReadOnlySpan<float> states)
        {
            Codes = Sized(Codes, codes.Length);
            Magnitudes = Sized(Magnitudes, magnitudes.Length);
            States = Sized(States, states.Length);
            codes.CopyTo(Codes);
            magnitudes.CopyTo(Magnitudes);
            states.CopyTo(States);
            Events = events;
        }

        /// <summary>The array itself while it holds <paramref name="length"/> without wasting more than half, else a new one with a quarter to spare.</summary>
        private static T[] Sized<T>(T[] array, int length) =>
            array.Length >= length && array.Length <= 2 * length ? array : new T[length + (length / 4)];
    }
}
