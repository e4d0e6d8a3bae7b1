using HyMiRec.Events;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace HyMiRec.Grains.Journal;

/// <summary>
/// The journal in PostgreSQL (Sql/004-user-journal.sql): one row per append holding that append's events packed
/// (<see cref="EventPacking"/>), keyed (service, user, first event's sequence number). Appends from many grains are
/// group-committed: one INSERT of all queued rows per flush, each row conditional on nothing newer being stored for
/// its user. Activations arriving together are read with one query.
/// </summary>
public sealed class PostgresUserJournal : IUserJournal, IAsyncDisposable
{
    private const string AppendSql = """
        INSERT INTO hymirec_user_journal (service_id, user_id, first_seq, event_count, events, offsets)
        SELECT @service, u.user_id, u.first_seq, u.event_count, u.events, u.offsets
        FROM unnest(@users, @seqs, @counts, @events, @offsets) AS u(user_id, first_seq, event_count, events, offsets)
        WHERE NOT EXISTS (SELECT 1 FROM hymirec_user_journal j
                          WHERE j.service_id = @service AND j.user_id = u.user_id AND j.first_seq + j.event_count > u.first_seq)
        ON CONFLICT DO NOTHING
        RETURNING user_id
        """;

    private const string ReadSql = """
        SELECT user_id, first_seq, event_count, events, offsets FROM hymirec_user_journal
        WHERE service_id = @service AND user_id = ANY(@users)
        ORDER BY user_id, first_seq
        """;

    private const string ReadHeadSql = """
        SELECT user_id, first_seq, event_count, offsets FROM hymirec_user_journal
        WHERE service_id = @service AND user_id = ANY(@users)
        ORDER BY user_id, first_seq
        """;

    private readonly NpgsqlDataSource _database;
    private readonly string _service;
    private readonly ItemKeys _items;
    private readonly BatchQueue<Append, bool> _appends;
    private readonly BatchQueue<string, JournalRead> _reads;
    private readonly BatchQueue<string, JournalHead> _heads;

    public PostgresUserJournal(NpgsqlDataSource database, string serviceId, IOptions<JournalOptions> options)
    {
        _database = database;
        _service = serviceId;
        _items = new ItemKeys(database);
        var o = options.Value;
        _appends = new BatchQueue<Append, bool>(o.MaxWriteBatch, o.WriteConcurrency, FlushAsync, (size, ms) =>
        {
            ServingMetrics.JournalFlushSize.Record(size);
            ServingMetrics.JournalFlushMs.Record(ms);
        });
        _reads = new BatchQueue<string, JournalRead>(o.MaxReadBatch, o.ReadConcurrency, ReadBatchAsync);
        _heads = new BatchQueue<string, JournalHead>(o.MaxReadBatch, o.ReadConcurrency, ReadHeadsAsync);
    }

    public Task<JournalRead> ReadAsync(string userId, CancellationToken cancellation = default) => _reads.EnqueueAsync(userId, cancellation);

    /// <summary>Reads no event bytes (the events column stays in TOAST), so an activation costs the same for any history.</summary>
    public Task<JournalHead> ReadHeadAsync(string userId, CancellationToken cancellation = default) => _heads.EnqueueAsync(userId, cancellation);

    public async Task AppendAsync(string userId, long expectedVersion, IReadOnlyList<JournalEvent> events, IReadOnlyList<LogPosition> offsets, CancellationToken cancellation = default)
    {
        if (events.Count == 0)
        {
            return;
        }

        if (!await _appends.EnqueueAsync(new Append(userId, expectedVersion, events, offsets), cancellation).ConfigureAwait(false))
        {
            throw new JournalConflictException(userId, expectedVersion);
        }
    }

    public async Task CompactAsync(string userId, long version, IReadOnlyList<JournalEvent> kept, IReadOnlyList<LogPosition> offsets, CancellationToken cancellation = default)
    {
        await _items.EnsureIdsAsync(kept.Select(e => e.ItemId), cancellation).ConfigureAwait(false);
        var packed = Pack(kept);
        await using var connection = await _database.OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        await using (var newest = new NpgsqlCommand(
            "SELECT first_seq + event_count FROM hymirec_user_journal WHERE service_id = @service AND user_id = @user FOR UPDATE", connection, transaction))
        {
            AddUser(newest, userId);
            var stored = 0L;
            await using var reader = await newest.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
            {
                stored = Math.Max(stored, reader.GetInt64(0));
            }

            if (stored != version)
            {
                throw new JournalConflictException(userId, version);
            }
        }

        await using (var replace = new NpgsqlCommand(
            """
            DELETE FROM hymirec_user_journal WHERE service_id = @service AND user_id = @user;
            INSERT INTO hymirec_user_journal (service_id, user_id, first_seq, event_count, events, offsets)
            VALUES (@service, @user, @first, @count, @events, @offsets);
            """, connection, transaction))
        {
            AddUser(replace, userId);
            replace.Parameters.AddWithValue("first", version - kept.Count);
            replace.Parameters.AddWithValue("count", kept.Count);
            replace.Parameters.AddWithValue("events", packed);
            replace.Parameters.AddWithValue("offsets", EventPacking.PackOffsets(offsets));
            await replace.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string userId, CancellationToken cancellation = default)
    {
        await using var delete = _database.CreateCommand("DELETE FROM hymirec_user_journal WHERE service_id = @service AND user_id = @user");
        AddUser(delete, userId);
        await delete.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _appends.DisposeAsync().ConfigureAwait(false);
        await _reads.DisposeAsync().ConfigureAwait(false);
        await _heads.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<bool>> FlushAsync(IReadOnlyList<Append> batch, CancellationToken cancellation)
    {
        await _items.EnsureIdsAsync(batch.SelectMany(a => a.Events.Select(e => e.ItemId)), cancellation).ConfigureAwait(false);

        // Two writes for one user in one flush come from two activations: the first in the batch may win, never both.
        // Rows go in user order so that flushes of two silos holding the same users (during a membership change)
        // take their key locks in one order and cannot deadlock.
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<int>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            if (first.TryAdd(batch[i].UserId, i))
            {
                rows.Add(i);
            }
        }

        rows.Sort((a, b) => string.CompareOrdinal(batch[a].UserId, batch[b].UserId));

        await using var insert = _database.CreateCommand(AppendSql);
        insert.Parameters.AddWithValue("service", _service);
        insert.Parameters.AddWithValue("users", rows.Select(i => batch[i].UserId).ToArray());
        insert.Parameters.AddWithValue("seqs", rows.Select(i => batch[i].ExpectedVersion).ToArray());
        insert.Parameters.AddWithValue("counts", rows.Select(i => batch[i].Events.Count).ToArray());
        insert.Parameters.Add(new NpgsqlParameter("events", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = rows.Select(i => Pack(batch[i].Events)).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("offsets", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = rows.Select(i => EventPacking.PackOffsets(batch[i].Offsets)).ToArray() });
        var written = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await insert.ExecuteReaderAsync(cancellation).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
            {
                written.Add(reader.GetString(0));
            }
        }

        var results = new bool[batch.Count];
        foreach (var i in rows)
        {
            results[i] = written.Contains(batch[i].UserId);
        }

        return results;
    }

    private async Task<IReadOnlyList<JournalRead>> ReadBatchAsync(IReadOnlyList<string> users, CancellationToken cancellation)
    {
        var stored = new Dictionary<string, List<(long First, int Count, byte[] Events, byte[] Offsets)>>(StringComparer.Ordinal);
        await using (var select = _database.CreateCommand(ReadSql))
        {
            select.Parameters.AddWithValue("service", _service);
            select.Parameters.AddWithValue("users", users.Distinct(StringComparer.Ordinal).ToArray());
            await using var reader = await select.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
            {
                var user = reader.GetString(0);
                if (!stored.TryGetValue(user, out var rows))
                {
                    stored[user] = rows = [];
                }

                rows.Add((reader.GetInt64(1), reader.GetInt32(2), reader.GetFieldValue<byte[]>(3), reader.GetFieldValue<byte[]>(4)));
            }
        }

        var decoded = new Dictionary<string, (List<int> Keys, List<long> Times, Dictionary<int, long> Offsets, long Version, int Rows)>(StringComparer.Ordinal);
        foreach (var (user, rows) in stored)
        {
            var keys = new List<int>();
            var times = new List<long>();
            var offsets = new Dictionary<int, long>();
            foreach (var row in rows)
            {
                EventPacking.UnpackEvents(row.Events, row.Count, keys, times);
                EventPacking.UnpackOffsets(row.Offsets, offsets);
            }

            decoded[user] = (keys, times, offsets, rows[^1].First + rows[^1].Count, rows.Count);
        }

        await _items.EnsureKeysAsync(decoded.Values.SelectMany(d => d.Keys), cancellation).ConfigureAwait(false);
        return users.Select(user =>
        {
            if (!decoded.TryGetValue(user, out var d))
            {
                return JournalRead.Empty;
            }

            var events = new JournalEvent[d.Keys.Count];
            for (var i = 0; i < events.Length; i++)
            {
                events[i] = new JournalEvent(_items.IdOf(d.Keys[i]), d.Times[i]);
            }

            return new JournalRead(events, [.. d.Offsets.Select(kv => new LogPosition(kv.Key, kv.Value))], d.Version, d.Rows);
        }).ToArray();
    }

    private async Task<IReadOnlyList<JournalHead>> ReadHeadsAsync(IReadOnlyList<string> users, CancellationToken cancellation)
    {
        var heads = new Dictionary<string, (Dictionary<int, long> Offsets, long Version, int Rows, long Events)>(StringComparer.Ordinal);
        await using (var select = _database.CreateCommand(ReadHeadSql))
        {
            select.Parameters.AddWithValue("service", _service);
            select.Parameters.AddWithValue("users", users.Distinct(StringComparer.Ordinal).ToArray());
            await using var reader = await select.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
            {
                var user = reader.GetString(0);
                var head = heads.TryGetValue(user, out var h) ? h : ([], 0, 0, 0);
                EventPacking.UnpackOffsets(reader.GetFieldValue<byte[]>(3), head.Offsets);
                var count = reader.GetInt32(2);
                heads[user] = (head.Offsets, reader.GetInt64(1) + count, head.Rows + 1, head.Events + count);
            }
        }

        return users.Select(user => heads.TryGetValue(user, out var h)
            ? new JournalHead([.. h.Offsets.Select(kv => new LogPosition(kv.Key, kv.Value))], h.Version, h.Rows, h.Events)
            : JournalHead.Empty).ToArray();
    }

    private byte[] Pack(IReadOnlyList<JournalEvent> events)
    {
        var keys = new int[events.Count];
        var times = new long[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            keys[i] = _items.KeyOf(events[i].ItemId);
            times[i] = events[i].TimestampMs;
        }

        return EventPacking.PackEvents(keys, times);
    }

    private void AddUser(NpgsqlCommand command, string userId)
    {
        command.Parameters.AddWithValue("service", _service);
        command.Parameters.AddWithValue("user", userId);
    }

    private sealed record Append(string UserId, long ExpectedVersion, IReadOnlyList<JournalEvent> Events, IReadOnlyList<LogPosition> Offsets);
}
