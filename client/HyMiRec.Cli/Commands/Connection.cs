using System.CommandLine;
using HyMiRec.Client;

namespace HyMiRec.Cli.Commands;

/// <summary>The options every cluster command takes, and running a command body against a connected client.</summary>
public static class Connection
{
    public static readonly Option<int> Gateway = new("--gateway") { Description = "Orleans gateway port of a silo (localhost clustering)", DefaultValueFactory = _ => 30000, Recursive = true };

    public static readonly Option<string> ClusterId = new("--cluster-id") { Description = "Orleans cluster id", DefaultValueFactory = _ => "hymirec", Recursive = true };

    public static readonly Option<string> ServiceId = new("--service-id") { Description = "Orleans service id", DefaultValueFactory = _ => "hymirec", Recursive = true };

    public static readonly Option<bool> Json = new("--json") { Description = "Print JSON instead of text", Recursive = true };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(Gateway);
        root.Options.Add(ClusterId);
        root.Options.Add(ServiceId);
        root.Options.Add(Json);
    }

    public static async Task<int> RunAsync(ParseResult parse, Func<HyMiRecClient, TextWriter, Task> body, CancellationToken cancellation)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            await using var connection = await ClientConnection.ConnectLocalhostAsync(
                parse.GetValue(Gateway), parse.GetValue(ClusterId)!, parse.GetValue(ServiceId)!, cancellation).ConfigureAwait(false);
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
            await error.WriteLineAsync($"error: cannot reach the cluster at gateway port {parse.GetValue(Gateway)}: {e.Message}").ConfigureAwait(false);
            return 3;
        }
    }
}
