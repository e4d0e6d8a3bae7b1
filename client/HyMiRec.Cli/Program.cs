using System.CommandLine;
using HyMiRec.Client.Commands;

// One line per command.
var root = new RootCommand("hymirec: query and feed the HyMiRec serving cluster")
{
    InterestsCommand.Create(),
    RecommendCommand.Create(),
    HistoryCommand.Create(),
    DeleteUserCommand.Create(),
    ProduceCommand.Create(),
};
Connection.AddTo(root);
return await root.Parse(args).InvokeAsync();
