using System.Diagnostics;
using Npgsql;

namespace HyMiRec.IntegrationTests.Serving;

/// <summary>
/// A throw-away PostgreSQL 15 started as the `postgres` user (it refuses root) on a test-only port and data
/// directory, the way scripts/postgres.sh does; stopped and removed on dispose. Where that cannot be done
/// (<see cref="Requirements.MissingPostgres"/>) it starts nothing and the tests using it, all
/// <see cref="PostgresFactAttribute"/>, are reported skipped with the reason.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private const string Bin = Requirements.PostgresBin;
    private readonly string _data = "";

    public PostgresServer()
    {
        if (Requirements.MissingPostgres is { } missing)
        {
            AdminConnectionString = missing;
            return;
        }

        var port = FreePorts.Take(1)[0];
        _data = Path.Combine(Path.GetTempPath(), "hymirec-test-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_data);
        if (Requirements.IsRoot)
        {
            Run("chown", "postgres:postgres", _data);
        }
        AsPostgres("initdb", "-D", _data, "-U", "postgres", "--auth=trust", "-E", "UTF8");
        AsPostgres("pg_ctl", "-D", _data, "-l", Path.Combine(_data, "server.log"), "-w", "-o", $"-p {port} -k {_data} -c listen_addresses=127.0.0.1", "start");
        AdminConnectionString = $"Host=127.0.0.1;Port={port};Database=postgres;Username=postgres;Pooling=false";
        Port = port;
    }

    public int Port { get; }

    public string AdminConnectionString { get; }

    /// <summary>Creates a fresh database and returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = "hymirec_" + Guid.NewGuid().ToString("N")[..12];
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        command.ExecuteNonQuery();
        return $"Host=127.0.0.1;Port={Port};Database={name};Username=postgres";
    }

    /// <summary>Stops the server as an outage would (fast shutdown: open connections are cut).</summary>
    public void Stop() => AsPostgres("pg_ctl", "-D", _data, "-m", "fast", "-w", "stop");

    public void Start() =>
        AsPostgres("pg_ctl", "-D", _data, "-l", Path.Combine(_data, "server.log"), "-w", "-o", $"-p {Port} -k {_data} -c listen_addresses=127.0.0.1", "start");

    public void Dispose()
    {
        if (Requirements.MissingPostgres is not null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        AsPostgres("pg_ctl", "-D", _data, "-m", "fast", "-w", "stop");
        Directory.Delete(_data, recursive: true);
    }

    private static void AsPostgres(string tool, params string[] args)
    {
        if (Requirements.IsRoot)
        {
            Run("runuser", ["-u", "postgres", "--", Path.Combine(Bin, tool), .. args]);
        }
        else
        {
            Run(Path.Combine(Bin, tool), args);
        }
    }

    private static void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr}{stdout.Result}");
        }
    }
}
