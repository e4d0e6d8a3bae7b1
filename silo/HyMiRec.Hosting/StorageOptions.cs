namespace HyMiRec.Hosting;

/// <summary>Configuration section "Storage": where grain state lives.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>A PostgreSQL (Npgsql) connection string; empty = in-memory storage, lost when the silo stops.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply Sql/*.sql at silo start (idempotent). Turn off where a DBA applies them.</summary>
    public bool ApplySchema { get; set; } = true;

    /// <summary>
    /// Whether <see cref="ConnectionString"/> is set: grain state, membership and the journal then live in
    /// PostgreSQL. Read before the service container is built, because it decides which providers exist; the
    /// connection string itself reaches them through <c>IOptions&lt;StorageOptions&gt;</c>, validated at start.
    /// </summary>
    public static bool UsesPostgres(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetSection(Section)[nameof(ConnectionString)]);
}
