using System.CommandLine;
using HyMiRec.Trainer;
using HyMiRec.Trainer.Commands;

var root = new RootCommand("HyMiRec trainer")
{
    CodebookCommand.Create(),
};
return Cli.Run(root, args);
