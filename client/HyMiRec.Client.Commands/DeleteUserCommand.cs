using System.CommandLine;

namespace HyMiRec.Client.Commands;

/// <summary>`hymirec delete-user USER`: erases the user's history and every stored trace (e.g. a deletion request).</summary>
public static class DeleteUserCommand
{
    public static Command Create()
    {
        var user = new Argument<string>("user") { Description = "User id" };
        var command = new Command("delete-user", "Delete a user's history, interests and stored events") { user };
        command.SetAction((parse, cancellation) => Connection.RunAsync(parse, async (client, output) =>
        {
            var id = parse.GetValue(user)!;
            await client.DeleteUserAsync(id);
            await output.WriteLineAsync($"deleted user {id}");
        }, cancellation));
        return command;
    }
}
