using System.CommandLine;
using HyMiRec.Trainer;
using HyMiRec.Trainer.Commands;

var root = new RootCommand("HyMiRec trainer: datasets, codebooks, training and benchmarks")
{
    BenchmarkCommand.Create(),
    CodebookCommand.Create(),
    TrainCommand.Create(),
    SpeedCommand.Create(),
};
return Cli.Run(root, args);
