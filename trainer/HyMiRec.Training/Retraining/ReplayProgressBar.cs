namespace HyMiRec.Training.Retraining;

/// <summary>A replay progress bar on a terminal; plain lines every few seconds when the output is a log.</summary>
public sealed class ReplayProgressBar(TextWriter writer) : IProgress<ReplayProgress>
{
    private const int Width = 30;
    private readonly bool _terminal = !Console.IsErrorRedirected;
    private TimeSpan? _lastLine;

    public void Report(ReplayProgress value)
    {
        var share = value.Total == 0 ? 1.0 : (double)value.Read / value.Total;
        var rate = value.Read / Math.Max(1e-9, value.Elapsed.TotalSeconds);
        var done = value.Read >= value.Total;
        var text = $"[replay {value.Topic}] [{new string('#', (int)(share * Width)).PadRight(Width)}] {value.Read:N0}/{value.Total:N0} {share:P0} {rate:N0}/s";
        if (_terminal)
        {
            writer.Write("\r" + text + (done ? "\n" : string.Empty));
        }
        else if (done || _lastLine is null || value.Elapsed - _lastLine > TimeSpan.FromSeconds(5))
        {
            _lastLine = value.Elapsed;
            writer.WriteLine(text);
        }
    }
}
