using System.Text.RegularExpressions;
using Npgsql;

namespace HyMiRec.IntegrationTests.ScaleOut;

/// <summary>What the cluster says about itself: the membership table in PostgreSQL and the silos' receiver logs.</summary>
internal static partial class Membership
{
    private const int Active = 3;
    private const int Dead = 6;

    public static async Task<int> ActiveSilosAsync(string connectionString, string clusterId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @c AND status = @s", connection);
        command.Parameters.AddWithValue("c", clusterId);
        command.Parameters.AddWithValue("s", Active);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<bool> IsDeclaredDeadAsync(string connectionString, string clusterId, int siloPort)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @c AND port = @p AND status = @s", connection);
        command.Parameters.AddWithValue("c", clusterId);
        command.Parameters.AddWithValue("p", siloPort);
        command.Parameters.AddWithValue("s", Dead);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>Partitions a silo's receivers started and have not stopped reading, from its log.</summary>
    public static SortedSet<int> PartitionsReadBy(SiloProcess silo)
    {
        var log = silo.Tail(int.MaxValue);
        var reading = new SortedSet<int>();
        foreach (Match m in ReceiverLine().Matches(log))
        {
            var partition = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (m.Groups[1].Value == "Reading")
            {
                reading.Add(partition);
            }
            else
            {
                reading.Remove(partition);
            }
        }

        return reading;
    }

    [GeneratedRegex(@"(Reading|Stopped reading) Kafka \S+\[(\d+)\]")]
    private static partial Regex ReceiverLine();
}
