using System.Diagnostics.Metrics;
using HyMiRec.Grains;

namespace HyMiRec.Serving.Bench;

/// <summary>
/// Listens to the serving meter: counts clicks applied to persisted user state, keeps every click-to-interest
/// latency (exact percentiles), and completes waits the moment a count is reached (no polling).
/// </summary>
internal sealed class ServingMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly List<double> _latencies = [];
    private readonly List<double> _recordedAt = [];
    private readonly List<double> _toHistory = [];
    private readonly List<double> _recomputeMs = [];
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private long _applied;
    private long _recomputes;
    private long _batches;
    private long _batchRequests;
    private (long Target, TaskCompletionSource Done)? _appliedWait;
    private (long Target, TaskCompletionSource Done)? _coveredWait;

    public ServingMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ServingMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument == ServingMetrics.EventsApplied)
            {
                Complete(ref _appliedWait, Interlocked.Add(ref _applied, value));
            }
        });
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument == ServingMetrics.ClickToInterestMs)
            {
                long covered;
                lock (_gate)
                {
                    _latencies.Add(value);
                    _recordedAt.Add(_clock.Elapsed.TotalSeconds);
                    covered = _latencies.Count;
                }

                Complete(ref _coveredWait, covered);
            }
            else if (instrument == ServingMetrics.RecomputeMs)
            {
                Interlocked.Increment(ref _recomputes);
                lock (_gate)
                {
                    _recomputeMs.Add(value);
                }
            }
            else if (instrument == ServingMetrics.ClickToHistoryMs)
            {
                lock (_gate)
                {
                    _toHistory.Add(value);
                }
            }
        });
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            if (instrument == ServingMetrics.InferenceBatchSize)
            {
                Interlocked.Increment(ref _batches);
                Interlocked.Add(ref _batchRequests, value);
            }
        });
        _listener.Start();
    }

    public long Applied => Interlocked.Read(ref _applied);

    public long Recomputes => Interlocked.Read(ref _recomputes);

    public double MeanBatchSize => Interlocked.Read(ref _batches) is var b and > 0 ? (double)Interlocked.Read(ref _batchRequests) / b : 0;

    public long Covered
    {
        get
        {
            lock (_gate)
            {
                return _latencies.Count;
            }
        }
    }

    /// <summary>Starts a new measurement phase: every count and latency so far is dropped.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _latencies.Clear();
            _recordedAt.Clear();
            _toHistory.Clear();
            _recomputeMs.Clear();
            _clock.Restart();
            Interlocked.Exchange(ref _applied, 0);
            Interlocked.Exchange(ref _recomputes, 0);
            Interlocked.Exchange(ref _batches, 0);
            Interlocked.Exchange(ref _batchRequests, 0);
        }
    }

    /// <summary>Completes once <paramref name="target"/> clicks were applied since the last <see cref="Reset"/>.</summary>
    public Task WhenApplied(long target) => Wait(ref _appliedWait, target, () => Applied);

    /// <summary>Completes once <paramref name="target"/> clicks were covered by an interest update since the last <see cref="Reset"/>.</summary>
    public Task WhenCovered(long target) => Wait(ref _coveredWait, target, () => Covered);

    /// <summary>The latency at quantile q (nearest rank) over the clicks covered so far; NaN when none.</summary>
    public double LatencyPercentile(double q)
    {
        lock (_gate)
        {
            if (_latencies.Count == 0)
            {
                return double.NaN;
            }

            return Rank([.. _latencies.Order()], q);
        }
    }

    /// <summary>Where the click-to-interest time goes: to the durable append, and the recompute the grain waited for (p50, p99 ms).</summary>
    public (double HistoryP50, double HistoryP99, double RecomputeP50, double RecomputeP99) Stages()
    {
        lock (_gate)
        {
            double[] history = [.. _toHistory.Order()], recompute = [.. _recomputeMs.Order()];
            return history.Length == 0 || recompute.Length == 0
                ? (double.NaN, double.NaN, double.NaN, double.NaN)
                : (Rank(history, 0.50), Rank(history, 0.99), Rank(recompute, 0.50), Rank(recompute, 0.99));
        }
    }

    /// <summary>
    /// Latencies by the second (since the last <see cref="Reset"/>) in which their interest update was stored:
    /// where in a run the tail sits (a warm-up, a stall, or spread evenly).
    /// </summary>
    public IReadOnlyList<LatencySecond> Timeline()
    {
        lock (_gate)
        {
            return _latencies.Zip(_recordedAt)
                .GroupBy(x => (int)x.Second)
                .OrderBy(g => g.Key)
                .Select(g =>
                {
                    var sorted = g.Select(x => x.First).Order().ToArray();
                    return new LatencySecond(g.Key, sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.99), sorted[^1]);
                })
                .ToArray();
        }
    }

    internal static double Rank(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    public void Dispose() => _listener.Dispose();

    private Task Wait(ref (long Target, TaskCompletionSource Done)? slot, long target, Func<long> current)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            slot = (target, done);
        }

        // The count may have reached the target before the wait was registered.
        if (current() >= target)
        {
            done.TrySetResult();
        }

        return done.Task;
    }

    private void Complete(ref (long Target, TaskCompletionSource Done)? slot, long count)
    {
        (long Target, TaskCompletionSource Done)? wait;
        lock (_gate)
        {
            wait = slot;
        }

        if (wait is { } w && count >= w.Target)
        {
            w.Done.TrySetResult();
        }
    }
}

/// <summary>One second of a run: how many clicks were covered in it and their latency percentiles (ms).</summary>
internal sealed record LatencySecond(int Second, int Count, double P50, double P99, double Max);
