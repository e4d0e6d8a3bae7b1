using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace HyMiRec.Client.Commands;

/// <summary>`hymirec recommend USER -k 20`.</summary>
public static class RecommendCommand
{
    public static Command Create()
    {
        var user = new Argument<string>("user") { Description = "User id" };
        var k = new Option<int>("-k") { Description = "How many items", DefaultValueFactory = _ => 10 };
        var command = new Command("recommend", "Top-k items for a user (items already clicked are left out)") { user, k };
        command.SetAction((parse, cancellation) => Connection.RunAsync(parse, async (client, output) =>
        {
            var items = await client.GetRecommendationsAsync(parse.GetValue(user)!, parse.GetValue(k));
            if (parse.GetValue(Connection.Json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(items, Output.Json));
                return;
            }

            for (var i = 0; i < items.Count; i++)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{i + 1,3}. {items[i].Score,7:F4}  {items[i].ItemId}  {items[i].Text}"));
            }
        }, cancellation));
        return command;
    }
}
