using System.Net.Sockets;
using Npgsql;

namespace HyMiRec.Hosting;

/// <summary>
/// `hymirec-silo --apply-schema`: applies Sql/*.sql to Storage:ConnectionString and exits (0 = applied), for a
/// deployment Job that runs before the silos (which then start with Storage:ApplySchema = false). Configuration
/// comes from the same places as the silo's: appsettings.json, environment (Storage__ConnectionString), arguments.
/// </summary>
public static class SchemaCommand
{
    public const string Flag = "--apply-schema";

    public static bool IsRequested(string[] args) => args.Contains(Flag, StringComparer.Ordinal);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellation = default)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args.Where(a => a != Flag).ToArray())
            .Build();
        var connectionString = configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.ConnectionString)}"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await error.WriteLineAsync($"{Flag}: Storage:ConnectionString is empty; set it (environment Storage__ConnectionString or --Storage:ConnectionString=...)")
                .ConfigureAwait(false);
            return 2;
        }

        try
        {
            await PostgresSchema.ApplyAsync(connectionString, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or ArgumentException or TimeoutException)
        {
            // ArgumentException: Npgsql's answer to a malformed connection string.
            await error.WriteLineAsync($"{Flag}: failed to apply the PostgreSQL schema: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        var scripts = PostgresSchema.Scripts();
        await output.WriteLineAsync($"{Flag}: applied {scripts.Count} scripts ({string.Join(", ", scripts.Select(s => s.Name))})").ConfigureAwait(false);
        return 0;
    }
}
