using Confluent.Kafka;

namespace HyMiRec.Client.Commands;

/// <summary>Counts sends and delivery reports (which arrive on librdkafka's thread) and prints the progress line.</summary>
internal sealed class ProduceProgress(TextWriter output, int total)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly bool _overwrite = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
    private int _sent;
    private int _delivered;
    private int _failed;
    private string? _firstError;
    private TimeSpan _lastReport = TimeSpan.Zero;

    public int Total { get; } = total;

    public int Delivered => Volatile.Read(ref _delivered);

    public int Failed => Volatile.Read(ref _failed);

    public string? FirstError => Volatile.Read(ref _firstError);

    public void Sent() => _sent++;

    public void OnDelivery(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref _failed);
            Interlocked.CompareExchange(ref _firstError, report.Error.Reason, null);
        }
        else
        {
            Interlocked.Increment(ref _delivered);
        }
    }

    public void Report(TimeSpan elapsed, bool final)
    {
        if (!final && elapsed - _lastReport < Interval)
        {
            return;
        }

        _lastReport = elapsed;
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-3);
        var line = $"produced {_sent}/{Total}, delivered {Delivered}, failed {Failed}, {Delivered / seconds:F0} clicks/s, {elapsed.TotalSeconds:F1} s";
        if (_overwrite)
        {
            output.Write("\r" + line + (final ? Environment.NewLine : string.Empty));
        }
        else
        {
            output.WriteLine(line);
        }
    }
}
