using System.CommandLine;
using HyMiRec.Trainer.Commands;

var root = new RootCommand("HyMiRec trainer: datasets, codebooks, training and benchmarks")
{
    BenchmarkCommand.Create(),
};
return root.Parse(args).Invoke();
