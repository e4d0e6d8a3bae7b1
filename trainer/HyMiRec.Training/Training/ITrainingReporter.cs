namespace HyMiRec.Training.Training;

/// <summary>Where training loops report progress (epochs, loss, validation, ETA).</summary>
public interface ITrainingReporter
{
    /// <param name="loss">Mean training loss of the epoch; null when no batch ran (a budget ended it first).</param>
    void Epoch(string model, int epoch, int epochs, double? loss, double? validation, TimeSpan elapsed);

    void Message(string model, string message);
}

/// <summary>Writes progress lines to a text writer (stderr in the CLI), so stdout keeps only results.</summary>
public sealed class ConsoleTrainingReporter(TextWriter writer) : ITrainingReporter
{
    public void Epoch(string model, int epoch, int epochs, double? loss, double? validation, TimeSpan elapsed)
    {
        var eta = TimeSpan.FromSeconds(elapsed.TotalSeconds / epoch * (epochs - epoch));
        var val = validation is { } v ? $"  val ndcg@10 {v:F4}" : string.Empty;
        writer.WriteLine($"[{model}] epoch {epoch}/{epochs}  loss {(loss is { } l ? l.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "-")}{val}  {elapsed.TotalSeconds:F0}s elapsed, ETA {eta:mm\\:ss}");
    }

    public void Message(string model, string message) => writer.WriteLine($"[{model}] {message}");
}

public sealed class SilentTrainingReporter : ITrainingReporter
{
    public void Epoch(string model, int epoch, int epochs, double? loss, double? validation, TimeSpan elapsed)
    {
    }

    public void Message(string model, string message)
    {
    }
}
