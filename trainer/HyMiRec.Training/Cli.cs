using System.CommandLine;
using HyMiRec.Model;

namespace HyMiRec.Training;

/// <summary>A mistake in how the trainer was called (bad option value, missing input): one line, exit code 2.</summary>
public sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Runs commands so that user mistakes end as one "error: ..." line on stderr and exit code 2.</summary>
public static class Cli
{
    public const int UsageExitCode = 2;

    public static int Run(RootCommand root, IReadOnlyList<string> args, TextWriter? output = null, TextWriter? error = null)
    {
        var configuration = new InvocationConfiguration { Output = output ?? Console.Out, Error = error ?? Console.Error };
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            // Some parser messages span lines (lists of allowed values); keep the promise of one line.
            var message = string.Join(' ', result.Errors[0].Message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            configuration.Error.WriteLine($"error: {message}");
            return UsageExitCode;
        }

        return result.Invoke(configuration);
    }

    /// <summary>
    /// Runs a command body; problems with the user's input become one line and exit 2. Anything else is a bug and
    /// keeps its stack trace.
    /// </summary>
    public static int Guard(ParseResult parse, Func<TextWriter, int> body)
    {
        try
        {
            return body(parse.InvocationConfiguration.Output);
        }
        catch (Exception e) when (e is UsageException or HyMiRec.Model.Data.DatasetFormatException or FileNotFoundException or DirectoryNotFoundException
                                      or InvalidDataException or UnauthorizedAccessException)
        {
            parse.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
            return UsageExitCode;
        }
    }

    /// <summary>
    /// Runs <paramref name="check"/>, the options' own Validate methods (each range rule lives there once). A rule broken
    /// by a value that a flag of <paramref name="flags"/> gave (keyed by the property it sets) becomes a usage error that
    /// names the flag and the value as typed; one broken by a value no flag gave is a bug in the defaults and keeps its
    /// stack trace.
    /// </summary>
    public static void CheckFlags(ParseResult parse, IReadOnlyDictionary<string, Option> flags, Action check)
    {
        try
        {
            check();
        }
        catch (OptionValueException e) when (e.ParamName is { } property && flags.TryGetValue(property, out var flag)
                                             && parse.GetResult(flag) is { Tokens: [var token, ..] })
        {
            throw new UsageException($"{flag.Name} {token.Value}: {e.Rule}", e);
        }
    }

    /// <summary>The training flags of `benchmark`, `train` and `retrain`, keyed by the <see cref="Training.TrainingOptions"/> property each sets (for <see cref="CheckFlags"/>).</summary>
    public static Dictionary<string, Option> Flags(Option<int?> epochs, Option<int?> batchSize, Option weightDecay) => new(StringComparer.Ordinal)
    {
        [nameof(Training.TrainingOptions.Epochs)] = epochs,
        [nameof(Training.TrainingOptions.BatchSize)] = batchSize,
        [nameof(Training.TrainingOptions.WeightDecay)] = weightDecay,
    };

    /// <summary><see cref="Guard"/> for commands that talk to a cluster or a broker; a broker we cannot reach is a usage problem too.</summary>
    public static async Task<int> GuardAsync(ParseResult parse, Func<TextWriter, Task<int>> body)
    {
        try
        {
            return await body(parse.InvocationConfiguration.Output).ConfigureAwait(false);
        }
        catch (Exception e) when (e is UsageException or HyMiRec.Model.Data.DatasetFormatException or FileNotFoundException or DirectoryNotFoundException
                                      or InvalidDataException or UnauthorizedAccessException or TimeoutException or Confluent.Kafka.KafkaException)
        {
            parse.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
            return UsageExitCode;
        }
    }
}
