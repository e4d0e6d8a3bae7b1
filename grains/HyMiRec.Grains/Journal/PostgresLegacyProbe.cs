using Npgsql;

namespace HyMiRec.Grains.Journal;

/// <summary>Whether the Orleans grain storage table holds user state written before the journal (see LegacyUserStates).</summary>
public static class PostgresLegacyProbe
{
    public static async Task<bool> AnyUserStateAsync(NpgsqlDataSource database, string serviceId, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand("""
            SELECT to_regclass('orleansstorage') IS NOT NULL
               AND EXISTS (SELECT 1 FROM orleansstorage WHERE serviceid = @service AND graintypestring = 'user' AND payloadbinary IS NOT NULL)
            """);
        command.Parameters.AddWithValue("service", serviceId);
        return (bool)(await command.ExecuteScalarAsync(cancellation).ConfigureAwait(false))!;
    }
}
