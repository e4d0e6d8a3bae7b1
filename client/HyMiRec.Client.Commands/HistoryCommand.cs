using System.CommandLine;
using System.Text.Json;

namespace HyMiRec.Client.Commands;

/// <summary>`hymirec history USER [--limit N]`: newest first.</summary>
public static class HistoryCommand
{
    public static Command Create()
    {
        var user = new Argument<string>("user") { Description = "User id" };
        var limit = new Option<int>("--limit") { Description = "How many events, newest first", DefaultValueFactory = _ => 20 };
        var command = new Command("history", "A user's latest clicks with their codebook codes") { user, limit };
        command.SetAction((parse, cancellation) => Connection.RunAsync(parse, async (client, output) =>
        {
            var history = await client.GetHistoryAsync(parse.GetValue(user)!, parse.GetValue(limit));
            if (parse.GetValue(Connection.Json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(history, Output.Json));
                return;
            }

            foreach (var entry in history)
            {
                var codes = entry.Codes.Length == 0 ? "(not in catalog)" : string.Join(',', entry.Codes);
                await output.WriteLineAsync($"{entry.Timestamp:O}  {entry.ItemId}  codes {codes}");
            }
        }, cancellation));
        return command;
    }
}
