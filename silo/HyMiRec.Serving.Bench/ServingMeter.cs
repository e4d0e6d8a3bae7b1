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
                    covered = _latencies.Count;
                }

                Complete(ref _coveredWait, covered);
            }
            else if (instrument == ServingMetrics.RecomputeMs)
            {
                Interlocked.Increment(ref _recomputes);
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

            var sorted = _latencies.Order().ToArray();
            var rank = (int)Math.Ceiling(q * sorted.Length);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
        }
    }

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
