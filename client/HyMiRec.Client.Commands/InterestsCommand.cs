using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace HyMiRec.Client.Commands;

/// <summary>`hymirec interests USER`: the user's coarse and refined interest vectors.</summary>
public static class InterestsCommand
{
    public static Command Create()
    {
        var user = new Argument<string>("user") { Description = "User id" };
        var command = new Command("interests", "Show a user's current coarse and refined interests") { user };
        command.SetAction((parse, cancellation) => Connection.RunAsync(parse, async (client, output) =>
        {
            var interests = await client.GetInterestsAsync(parse.GetValue(user)!);
            if (parse.GetValue(Connection.Json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(interests, Output.Json));
                return;
            }

            if (interests is null)
            {
                await output.WriteLineAsync($"user {parse.GetValue(user)} has no history yet");
                return;
            }

            await output.WriteLineAsync($"model {interests.ModelVersion}, computed {interests.ComputedAt:O} over {interests.EventsSeen} events");
            await WriteRowsAsync(output, "coarse", interests.Coarse, interests.Dimension);
            await WriteRowsAsync(output, "refined", interests.Refined, interests.Dimension);
        }, cancellation));
        return command;
    }

    private static async Task WriteRowsAsync(TextWriter output, string name, float[] rows, int dimension)
    {
        for (var r = 0; r < rows.Length / dimension; r++)
        {
            var head = string.Join(' ', rows.Skip(r * dimension).Take(8).Select(v => v.ToString("F3", CultureInfo.InvariantCulture)));
            await output.WriteLineAsync($"{name}[{r}] ({dimension} dims): {head} ...");
        }
    }
}
