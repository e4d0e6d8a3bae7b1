using System.CommandLine;

namespace HyMiRec.Client.Commands;

/// <summary>The options every cluster command takes, and running a command body against a connected client.</summary>
public static class Connection
{
    public static readonly Option<int> Gateway = new("--gateway") { Description = "Orleans gateway port of a silo (localhost clustering)", DefaultValueFactory = _ => 30000, Recursive = true };

    public static readonly Option<string?> ClusterConnection = new("--cluster-connection")
    {
        Description = "PostgreSQL connection string of an ADO.NET-clustered deployment (Cluster:Mode AdoNet); replaces --gateway",
        Recursive = true,
    };

    public static readonly Option<string> ClusterId = new("--cluster-id") { Description = "Orleans cluster id", DefaultValueFactory = _ => "hymirec", Recursive = true };

    public static readonly Option<string> ServiceId = new("--service-id") { Description = "Orleans service id", DefaultValueFactory = _ => "hymirec", Recursive = true };

    public static readonly Option<bool> Json = new("--json") { Description = "Print JSON instead of text", Recursive = true };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(Gateway);
        root.Options.Add(ClusterConnection);
        root.Options.Add(ClusterId);
        root.Options.Add(ServiceId);
        root.Options.Add(Json);
    }

    public static async Task<int> RunAsync(ParseResult parse, Func<HyMiRecClient, TextWriter, Task> body, CancellationToken cancellation)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            var (clusterId, serviceId) = (parse.GetValue(ClusterId)!, parse.GetValue(ServiceId)!);
            await using var connection = parse.GetValue(ClusterConnection) is { } connectionString
                ? await ClientConnection.ConnectAdoNetAsync(connectionString, clusterId, serviceId, cancellation).ConfigureAwait(false)
                : await ClientConnection.ConnectLocalhostAsync(parse.GetValue(Gateway), clusterId, serviceId, cancellation).ConfigureAwait(false);
            await body(connection.Client, parse.InvocationConfiguration.Output).ConfigureAwait(false);
            return 0;
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or System.Net.Sockets.SocketException)
        {
            var where = parse.GetValue(ClusterConnection) is null ? $"gateway port {parse.GetValue(Gateway)}" : "the gateways listed in the membership table";
            await error.WriteLineAsync($"error: cannot reach the cluster at {where}: {e.Message}").ConfigureAwait(false);
            return 3;
        }
    }
}
