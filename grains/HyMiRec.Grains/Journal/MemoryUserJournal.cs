using System.Collections.Concurrent;
using HyMiRec.Events;

namespace HyMiRec.Grains.Journal;

/// <summary>
/// The journal of a silo without a database (development and tests): rows in this process's memory with the same
/// version checks as PostgreSQL. It is per silo process, so a cluster of several silos needs PostgreSQL.
/// </summary>
public sealed class MemoryUserJournal : IUserJournal
{
    private readonly ConcurrentDictionary<string, UserRows> _users = new(StringComparer.Ordinal);

    public Task<JournalRead> ReadAsync(string userId, CancellationToken cancellation = default)
    {
        if (!_users.TryGetValue(userId, out var rows))
        {
            return Task.FromResult(JournalRead.Empty);
        }

        lock (rows)
        {
            var offsets = new Dictionary<int, long>();
            var events = new List<JournalEvent>();
            foreach (var row in rows.Rows)
            {
                events.AddRange(row.Events);
                foreach (var position in row.Offsets)
                {
                    offsets[position.Partition] = Math.Max(position.Offset, offsets.GetValueOrDefault(position.Partition, -1));
                }
            }

            return Task.FromResult(new JournalRead(events, [.. offsets.Select(kv => new LogPosition(kv.Key, kv.Value))], rows.Version, rows.Rows.Count));
        }
    }

    public Task<JournalHead> ReadHeadAsync(string userId, CancellationToken cancellation = default)
    {
        if (!_users.TryGetValue(userId, out var rows))
        {
            return Task.FromResult(JournalHead.Empty);
        }

        lock (rows)
        {
            var offsets = rows.Rows.SelectMany(r => r.Offsets).GroupBy(p => p.Partition).Select(g => new LogPosition(g.Key, g.Max(p => p.Offset)));
            return Task.FromResult(new JournalHead([.. offsets], rows.Version, rows.Rows.Count, rows.Rows.Sum(r => (long)r.Events.Length)));
        }
    }

    public Task AppendAsync(string userId, long expectedVersion, IReadOnlyList<JournalEvent> events, IReadOnlyList<LogPosition> offsets, CancellationToken cancellation = default)
    {
        var rows = _users.GetOrAdd(userId, _ => new UserRows());
        lock (rows)
        {
            if (rows.Version != expectedVersion)
            {
                throw new JournalConflictException(userId, expectedVersion);
            }

            rows.Rows.Add(new Row([.. events], [.. offsets]));
            rows.Version += events.Count;
        }

        return Task.CompletedTask;
    }

    public Task CompactAsync(string userId, long version, IReadOnlyList<JournalEvent> kept, IReadOnlyList<LogPosition> offsets, CancellationToken cancellation = default)
    {
        var rows = _users.GetOrAdd(userId, _ => new UserRows());
        lock (rows)
        {
            if (rows.Version != version)
            {
                throw new JournalConflictException(userId, version);
            }

            rows.Rows.Clear();
            rows.Rows.Add(new Row([.. kept], [.. offsets]));
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(string userId, CancellationToken cancellation = default)
    {
        _users.TryRemove(userId, out _);
        return Task.CompletedTask;
    }

    private sealed record Row(JournalEvent[] Events, LogPosition[] Offsets);

    private sealed class UserRows
    {
        public List<Row> Rows { get; } = [];

        public long Version { get; set; }
    }
}
