using System.CommandLine;
using HyMiRec.Cli.Commands;

var root = new RootCommand("HyMiRec client tools")
{
    ProduceCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
