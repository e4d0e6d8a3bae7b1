using HyMiRec.Interfaces;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace HyMiRec.Grains.Journal;

/// <summary>
/// Interest snapshots in PostgreSQL (Sql/005-user-interests.sql), one row per user. Like the journal, the reads of
/// activations arriving together and the writes of grains deactivating together are each one statement.
/// </summary>
public sealed class PostgresInterestSnapshots : IInterestSnapshots, IAsyncDisposable
{
    private const string WriteSql = """
        INSERT INTO hymirec_user_interests AS t
            (service_id, user_id, model_version, codebook_version, dimension, events_seen, computed_at_ms, coarse, refined)
        SELECT @service, u.user_id, u.model_version, u.codebook_version, u.dimension, u.events_seen, u.computed_at_ms, u.coarse, u.refined
        FROM unnest(@users, @models, @codebooks, @dimensions, @seen, @at, @coarse, @refined)
            AS u(user_id, model_version, codebook_version, dimension, events_seen, computed_at_ms, coarse, refined)
        ON CONFLICT (service_id, user_id) DO UPDATE SET
            model_version = excluded.model_version, codebook_version = excluded.codebook_version,
            dimension = excluded.dimension, events_seen = excluded.events_seen,
            computed_at_ms = excluded.computed_at_ms, coarse = excluded.coarse, refined = excluded.refined
        WHERE t.events_seen <= excluded.events_seen OR t.model_version <> excluded.model_version
        """;

    private const string ReadSql = """
        SELECT user_id, model_version, codebook_version, dimension, events_seen, computed_at_ms, coarse, refined
        FROM hymirec_user_interests WHERE service_id = @service AND user_id = ANY(@users)
        """;

    private readonly NpgsqlDataSource _database;
    private readonly string _service;
    private readonly BatchQueue<string, InterestSnapshot?> _reads;
    private readonly BatchQueue<(string User, InterestSnapshot Snapshot), bool> _writes;

    public PostgresInterestSnapshots(NpgsqlDataSource database, string serviceId, IOptions<JournalOptions> options)
    {
        _database = database;
        _service = serviceId;
        var o = options.Value;
        _reads = new BatchQueue<string, InterestSnapshot?>(o.MaxReadBatch, o.ReadConcurrency, ReadBatchAsync);
        _writes = new BatchQueue<(string, InterestSnapshot), bool>(o.MaxWriteBatch, o.WriteConcurrency, WriteBatchAsync);
    }

    public Task<InterestSnapshot?> ReadAsync(string userId, CancellationToken cancellation = default) => _reads.EnqueueAsync(userId, cancellation);

    public Task WriteAsync(string userId, InterestSnapshot snapshot, CancellationToken cancellation = default) =>
        _writes.EnqueueAsync((userId, snapshot), cancellation);

    public async Task DeleteAsync(string userId, CancellationToken cancellation = default)
    {
        await using var delete = _database.CreateCommand("DELETE FROM hymirec_user_interests WHERE service_id = @service AND user_id = @user");
        delete.Parameters.AddWithValue("service", _service);
        delete.Parameters.AddWithValue("user", userId);
        await delete.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _writes.DisposeAsync().ConfigureAwait(false);
        await _reads.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<bool>> WriteBatchAsync(IReadOnlyList<(string User, InterestSnapshot Snapshot)> batch, CancellationToken cancellation)
    {
        // One statement may not update a row twice: of one user's snapshots in a batch, the one that supersedes the others goes.
        var chosen = new Dictionary<string, InterestSnapshot>(StringComparer.Ordinal);
        foreach (var (user, snapshot) in batch)
        {
            if (!chosen.TryGetValue(user, out var other) || snapshot.Supersedes(other))
            {
                chosen[user] = snapshot;
            }
        }

        // Upserts lock existing rows as they go: two flushes meeting the same users must take them in one order.
        var rows = chosen.OrderBy(r => r.Key, StringComparer.Ordinal).ToArray();
        await using var insert = _database.CreateCommand(WriteSql);
        insert.Parameters.AddWithValue("service", _service);
        insert.Parameters.AddWithValue("users", rows.Select(r => r.Key).ToArray());
        insert.Parameters.AddWithValue("models", rows.Select(r => r.Value.Interests.ModelVersion).ToArray());
        insert.Parameters.AddWithValue("codebooks", rows.Select(r => r.Value.Interests.CodebookVersion).ToArray());
        insert.Parameters.AddWithValue("dimensions", rows.Select(r => r.Value.Interests.Dimension).ToArray());
        insert.Parameters.AddWithValue("seen", rows.Select(r => r.Value.EventsSeen).ToArray());
        insert.Parameters.AddWithValue("at", rows.Select(r => r.Value.ComputedAt.ToUnixTimeMilliseconds()).ToArray());
        insert.Parameters.Add(new NpgsqlParameter("coarse", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = rows.Select(r => InterestSnapshot.Pack(r.Value.Interests.Coarse)).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("refined", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = rows.Select(r => InterestSnapshot.Pack(r.Value.Interests.Refined)).ToArray() });
        await insert.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        return batch.Select(_ => true).ToArray();
    }

    private async Task<IReadOnlyList<InterestSnapshot?>> ReadBatchAsync(IReadOnlyList<string> users, CancellationToken cancellation)
    {
        var stored = new Dictionary<string, InterestSnapshot>(StringComparer.Ordinal);
        await using (var select = _database.CreateCommand(ReadSql))
        {
            select.Parameters.AddWithValue("service", _service);
            select.Parameters.AddWithValue("users", users.Distinct(StringComparer.Ordinal).ToArray());
            await using var reader = await select.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
            {
                var interests = new InterestsResult(
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetInt32(3),
                    InterestSnapshot.Unpack(reader.GetFieldValue<byte[]>(6)),
                    InterestSnapshot.Unpack(reader.GetFieldValue<byte[]>(7)));
                stored[reader.GetString(0)] = new InterestSnapshot(interests, reader.GetInt64(4), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)));
            }
        }

        return users.Select(u => stored.GetValueOrDefault(u)).ToArray();
    }
}
