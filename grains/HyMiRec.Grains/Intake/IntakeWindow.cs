namespace HyMiRec.Grains.Intake;

/// <summary>
/// The event ids one user's intake has put into the click log lately: an id is remembered for <see cref="Window"/>
/// after it was recorded and while fewer than <see cref="MaxIds"/> newer ids arrived. Plain and single-threaded: the
/// intake grain owns one and persists <see cref="Snapshot"/>.
/// </summary>
public sealed class IntakeWindow
{
    // Oldest first, so expiry and the size bound both drop from the front.
    private readonly Queue<SeenEventId> _order = new();
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    public IntakeWindow(TimeSpan window, int maxIds, TimeProvider clock, IEnumerable<SeenEventId>? seen = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIds, 1);
        Window = window;
        MaxIds = maxIds;
        _clock = clock;
        foreach (var entry in (seen ?? []).OrderBy(s => s.RecordedAt))
        {
            if (_ids.Add(entry.EventId))
            {
                _order.Enqueue(entry);
            }
        }

        Trim();
    }

    public TimeSpan Window { get; }

    public int MaxIds { get; }

    public int Count => _ids.Count;

    /// <summary>True while <paramref name="eventId"/> is remembered.</summary>
    public bool Contains(string eventId)
    {
        Trim();
        return _ids.Contains(eventId);
    }

    /// <summary>Remembers <paramref name="eventId"/> from now on; false if it already was.</summary>
    public bool Record(string eventId)
    {
        Trim();
        if (!_ids.Add(eventId))
        {
            return false;
        }

        _order.Enqueue(new SeenEventId(eventId, _clock.GetUtcNow()));
        Trim();
        return true;
    }

    /// <summary>What to persist: the remembered ids, oldest first.</summary>
    public List<SeenEventId> Snapshot()
    {
        Trim();
        return [.. _order];
    }

    private void Trim()
    {
        var oldest = _clock.GetUtcNow() - Window;
        while (_order.Count > 0 && (_order.Count > MaxIds || _order.Peek().RecordedAt <= oldest))
        {
            _ids.Remove(_order.Dequeue().EventId);
        }
    }
}
