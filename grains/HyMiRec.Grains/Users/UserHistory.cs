using HyMiRec.Events;
using HyMiRec.Grains.Journal;
using HyMiRec.Model.Serving;

namespace HyMiRec.Grains.Users;

/// <summary>
/// A user's click history as its grain holds it, and the decisions about it that need no silo: which delivered
/// clicks are new (Kafka offsets), what the journal gets, when stored rows are compacted and old events pruned, and
/// each event's index in the loaded catalog (0 = an item the catalog does not know). Oldest first, at most the cap.
/// A history made from the journal's head (<see cref="FromHead"/>) holds no events until the grain needs them:
/// appending only needs the version and the offsets, so ingest costs the same for any history length.
/// </summary>
public sealed class UserHistory
{
    private readonly List<string> _itemIds = [];
    private readonly List<long> _timestampsMs = [];
    private readonly List<int> _indices = [];
    private readonly Dictionary<int, long> _offsets = [];
    private readonly int _cap;
    private ItemCatalog? _catalog;

    public UserHistory(int cap) => _cap = cap;

    /// <summary>Whether the events are in memory; false for a history made from the journal's head.</summary>
    public bool IsLoaded { get; private init; } = true;

    /// <summary>History length (at most the cap), known also while the events are not loaded.</summary>
    public int Count => IsLoaded ? _itemIds.Count : Math.Min(StoredEvents, _cap);

    public IReadOnlyList<string> ItemIds => Loaded(_itemIds);

    public IReadOnlyList<long> TimestampsMs => Loaded(_timestampsMs);

    /// <summary>Catalog index per event for <see cref="MapTo"/>'s catalog; 0 where the catalog lacks the item.</summary>
    public IReadOnlyList<int> Indices => Loaded(_indices);

    /// <summary>Events ever appended (the journal version); pruned ones included.</summary>
    public long Version { get; private set; }

    /// <summary>Journal rows and events stored for the user (they grow with appends until a compaction).</summary>
    public int StoredRows { get; private set; }

    public int StoredEvents { get; private set; }

    public static UserHistory FromHead(JournalHead head, int cap)
    {
        var history = new UserHistory(cap) { IsLoaded = false, Version = head.Version, StoredRows = head.Rows, StoredEvents = (int)Math.Min(int.MaxValue, head.StoredEvents) };
        foreach (var position in head.Offsets)
        {
            history._offsets[position.Partition] = position.Offset;
        }

        return history;
    }

    public static UserHistory FromJournal(JournalRead read, int cap)
    {
        var history = new UserHistory(cap) { Version = read.Version, StoredRows = read.Rows, StoredEvents = read.Events.Count };
        foreach (var e in read.Events)
        {
            history._itemIds.Add(e.ItemId);
            history._timestampsMs.Add(e.TimestampMs);
        }

        foreach (var position in read.Offsets)
        {
            history._offsets[position.Partition] = position.Offset;
        }

        history.TrimToCap();
        return history;
    }

    /// <summary>The clicks of <paramref name="events"/> not applied before, and the offsets they move forward.</summary>
    public ClickBatch Plan(IReadOnlyList<ClickEvent> events)
    {
        var moved = new Dictionary<int, long>();
        var fresh = new List<ClickEvent>(events.Count);
        foreach (var e in events)
        {
            if (e.Source is { } source)
            {
                var last = moved.TryGetValue(source.Partition, out var m) ? m : _offsets.GetValueOrDefault(source.Partition, -1);
                if (source.Offset <= last)
                {
                    continue;
                }

                moved[source.Partition] = source.Offset;
            }

            fresh.Add(e);
        }

        var journal = fresh.Select(e => new JournalEvent(e.ItemId, e.Timestamp.ToUnixTimeMilliseconds())).ToArray();
        return new ClickBatch(fresh, journal, [.. moved.Select(kv => new LogPosition(kv.Key, kv.Value))], events.Count - fresh.Count);
    }

    /// <summary>Applies a batch the journal has committed.</summary>
    public void Commit(ClickBatch batch)
    {
        foreach (var e in IsLoaded ? batch.Events : [])
        {
            _itemIds.Add(e.ItemId);
            _timestampsMs.Add(e.TimestampMs);
            if (_catalog is not null)
            {
                _indices.Add(_catalog.TryGetIndex(e.ItemId, out var index) ? index : 0);
            }
        }

        foreach (var position in batch.Offsets)
        {
            _offsets[position.Partition] = position.Offset;
        }

        Version += batch.Events.Count;
        StoredRows++;
        StoredEvents += batch.Events.Count;
        TrimToCap();
    }

    /// <summary>
    /// Compact when the rows an activation must read grow past <paramref name="maxRows"/>, or the stored events pass
    /// the cap by an eighth (so pruning is paid once per cap/8 events, not per click).
    /// </summary>
    public bool NeedsCompaction(int maxRows) => StoredRows > maxRows || StoredEvents > _cap + Math.Max(1, _cap / 8);

    /// <summary>What one compacted row holds: the kept events and every partition's offset.</summary>
    public (JournalEvent[] Kept, LogPosition[] Offsets) Snapshot() =>
        ([.. Loaded(_itemIds).Select((id, i) => new JournalEvent(id, _timestampsMs[i]))], [.. _offsets.Select(kv => new LogPosition(kv.Key, kv.Value))]);

    public void Compacted()
    {
        StoredRows = 1;
        StoredEvents = Count;
    }

    /// <summary>Points every event at its index in <paramref name="catalog"/>; a no-op for the catalog mapped already.</summary>
    public void MapTo(ItemCatalog catalog)
    {
        Loaded(_itemIds);
        if (ReferenceEquals(catalog, _catalog))
        {
            return;
        }

        _catalog = catalog;
        _indices.Clear();
        foreach (var id in _itemIds)
        {
            _indices.Add(catalog.TryGetIndex(id, out var index) ? index : 0);
        }
    }

    /// <summary>
    /// The known events the model reads, oldest first: the newest <paramref name="maxHistory"/>, with stride 1. With a
    /// larger <paramref name="stride"/> the oldest event read moves only in steps of that many events (counted over every
    /// event ever appended, so the steps do not depend on the cap), reading the known ones among the newest
    /// maxHistory - stride + 1 to maxHistory events. Between two steps the window only grows, so the model's kept
    /// history states stay usable for a user past maxHistory events, where a window moving on every click changes them all.
    /// </summary>
    public int[] Window(int maxHistory, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        if (stride == 1)
        {
            return NewestKnown(maxHistory);
        }

        var start = HistoryWindow.StrideStart(Version, maxHistory, stride);
        return NewestKnown(maxHistory, from: (int)Math.Max(0, start - (Version - Count)));
    }

    /// <summary>Catalog indices of the newest <paramref name="count"/> known events, oldest first.</summary>
    public int[] NewestKnown(int count) => NewestKnown(count, from: 0);

    /// <summary>As <see cref="NewestKnown(int)"/>, among the events from index <paramref name="from"/> on.</summary>
    private int[] NewestKnown(int count, int from)
    {
        var known = new List<int>(Math.Min(count, Count));
        for (var i = Count - 1; i >= from && known.Count < count; i--)
        {
            if (_indices[i] != 0)
            {
                known.Add(_indices[i]);
            }
        }

        known.Reverse();
        return [.. known];
    }

    private List<T> Loaded<T>(List<T> events) =>
        IsLoaded ? events : throw new InvalidOperationException("the history's events are not loaded; read the journal first");

    private void TrimToCap()
    {
        var extra = Count - _cap;
        if (extra <= 0)
        {
            return;
        }

        _itemIds.RemoveRange(0, extra);
        _timestampsMs.RemoveRange(0, extra);
        if (_catalog is not null)
        {
            _indices.RemoveRange(0, extra);
        }
    }
}

/// <summary>New clicks of one delivery (as delivered and as stored), the offsets they advance, and how many were already applied.</summary>
public sealed record ClickBatch(IReadOnlyList<ClickEvent> Fresh, IReadOnlyList<JournalEvent> Events, IReadOnlyList<LogPosition> Offsets, int Duplicates);
