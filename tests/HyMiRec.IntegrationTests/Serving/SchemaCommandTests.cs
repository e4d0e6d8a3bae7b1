using HyMiRec.Hosting;
using Npgsql;

namespace HyMiRec.IntegrationTests.Serving;

public sealed class SchemaCommandTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [PostgresFact]
    public async Task AppliesTheScriptsAndCanRunAgain()
    {
        var connection = postgres.CreateDatabase();
        for (var run = 0; run < 2; run++)
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = await SchemaCommand.RunAsync([SchemaCommand.Flag, $"--Storage:ConnectionString={connection}"], output, error);
            Assert.True(exit == 0, error.ToString());
            Assert.Contains($"applied {PostgresSchema.Scripts().Count} scripts", output.ToString(), StringComparison.Ordinal);
        }

        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleansquery WHERE querykey IN ('WriteToStorageKey', 'MembershipReadAllKey')", db);
        Assert.Equal(2L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task UnreachableServerFailsWithAMessage()
    {
        var port = FreePorts.Take(1)[0];
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await SchemaCommand.RunAsync(
            [SchemaCommand.Flag, $"--Storage:ConnectionString=Host=127.0.0.1;Port={port};Database=none;Username=postgres;Timeout=3"], output, error);
        Assert.NotEqual(0, exit);
        Assert.Contains("failed to apply the PostgreSQL schema", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingConnectionStringIsAnError()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await SchemaCommand.RunAsync([SchemaCommand.Flag, "--Storage:ConnectionString="], output, error);
        Assert.NotEqual(0, exit);
        Assert.Contains("Storage:ConnectionString is empty", error.ToString(), StringComparison.Ordinal);
    }
}
