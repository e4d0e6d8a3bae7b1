using System.CommandLine;
using HyMiRec.Training.Benchmark;

namespace HyMiRec.Training.Commands;

/// <summary>`trainer speed`: HyMiRec training and serving throughput on this machine.</summary>
public static class SpeedCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = DatasetSource.Description, Required = true };
        var model = new Option<string>("--model") { Description = "hymirec or a variant", DefaultValueFactory = _ => "hymirec" };
        var batchSize = new Option<int>("--batch-size") { Description = "Training sequences per step", DefaultValueFactory = _ => 64 };
        var steps = new Option<int>("--steps") { Description = "Timed training steps", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 42 };
        var command = new Command("speed", "Measure HyMiRec training samples/s, time per part, and serving users/s at batch 1, 8, 64")
        {
            data, model, batchSize, steps, seed,
        };
        command.SetAction(parse => Cli.Guard(parse, stdout =>
        {
            var name = parse.GetValue(model)!;
            if (!HyMiRecVariants.TryParse(name, out var options))
            {
                throw new UsageException($"'{name}' is not a HyMiRec model; use hymirec or hymirec-<variant>");
            }

            if (parse.GetValue(batchSize) < 1 || parse.GetValue(steps) < 1)
            {
                throw new UsageException("--batch-size and --steps must be positive");
            }

            var dataset = DatasetSource.Load(parse.GetValue(data)!, parse.GetValue(seed));
            var extra = ModelCatalog.HyMiRecExtra(new BenchmarkSettings { Data = parse.GetValue(data)! }, options);
            stdout.Write(SpeedBenchmark.Run(dataset, options, extra, parse.GetValue(batchSize), parse.GetValue(steps), parse.GetValue(seed)));
            return 0;
        }));
        return command;
    }
}
