using Npgsql;

namespace HyMiRec.Serving.Bench;

/// <summary>
/// A database of its own for one run (created from the connection string the bench was given, dropped after), so
/// the stored bytes per event are this run's alone.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _admin;
    private readonly string _name;

    private BenchDatabase(string admin, string name, string connectionString)
    {
        _admin = admin;
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync(string connectionString, string run)
    {
        var name = "hymirec_bench_" + run.Replace('-', '_');
        await using (var admin = new NpgsqlConnection(connectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var own = new NpgsqlConnectionStringBuilder(connectionString) { Database = name }.ConnectionString;
        return new BenchDatabase(connectionString, name, own);
    }

    /// <summary>
    /// Bytes on disk of everything that stores history (journal and item dictionary, with their indexes and TOAST)
    /// over the events the journal holds, as the run left them (no VACUUM FULL; a --settle run vacuums once after its
    /// prefill, which may let later rows reuse space); null when it holds none.
    /// </summary>
    public async Task<double?> BytesPerEventAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var measure = new NpgsqlCommand("""
            SELECT pg_total_relation_size('hymirec_user_journal') + pg_total_relation_size('hymirec_items'),
                   (SELECT coalesce(sum(event_count), 0) FROM hymirec_user_journal)
            """, connection);
        await using var reader = await measure.ExecuteReaderAsync();
        await reader.ReadAsync();
        var bytes = reader.GetInt64(0);
        var events = reader.GetInt64(1);
        return events == 0 ? null : (double)bytes / events;
    }

    /// <summary>VACUUM ANALYZE, then CHECKPOINT (two statements: VACUUM cannot run inside the implicit transaction of one).</summary>
    public async Task SettleAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        foreach (var statement in new[] { "VACUUM ANALYZE", "CHECKPOINT" })
        {
            await using var command = new NpgsqlCommand(statement, connection) { CommandTimeout = 600 };
            await command.ExecuteNonQueryAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_admin);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
