using System.CommandLine;
using HyMiRec.Training;
using HyMiRec.Training.Commands;

var root = new RootCommand("HyMiRec trainer: datasets, codebooks, training, retraining from the click log and benchmarks")
{
    BenchmarkCommand.Create(),
    CodebookCommand.Create(),
    TrainCommand.Create(),
    SpeedCommand.Create(),
    RetrainCommand.Create(),
    ReplayBenchCommand.Create(),
    PlotCommand.Create(),
    InterestsCommand.Create(),
    WindowStrideCommand.Create(),
};
return Cli.Run(root, args);
