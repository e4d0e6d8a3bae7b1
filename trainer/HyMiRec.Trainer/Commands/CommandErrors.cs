using HyMiRec.Model.Data;

namespace HyMiRec.Trainer.Commands;

/// <summary>Turns user mistakes into one clear line on stderr and exit code 2, never a stack trace.</summary>
public static class CommandErrors
{
    public const int UserError = 2;

    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is DatasetFormatException or FileNotFoundException or DirectoryNotFoundException
                                      or InvalidDataException or ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return UserError;
        }
    }
}
