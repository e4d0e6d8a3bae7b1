using System.Diagnostics;

namespace HyMiRec.Serving.Bench;

/// <summary>What the .NET runtime did during the measured phase: GC pauses and collections, and how far the
/// thread pool's queue grew (a growing queue with few threads is starvation, which shows as a latency tail), and
/// each collection's pause.</summary>
internal sealed record RuntimeStats(double GcPauseMs, int Gen0, int Gen1, int Gen2, long MaxQueuedWorkItems, int MaxThreads, double CpuSeconds, long HeapBytes, long LastPromotedBytes, long AllocatedBytes, IReadOnlyList<GcPause> Pauses, IReadOnlyList<RuntimeSecond> Seconds);

/// <summary>
/// One second of the measured phase: methods the JIT compiled (tier-up shows here), the time it spent, GC pause time,
/// process CPU and the thread pool's peak: what else ran in a second whose latency stood out.
/// </summary>
internal sealed record RuntimeSecond(int Second, long JitMethods, double JitMs, double GcPauseMs, double CpuSeconds, int MaxThreads, long MaxQueued);

/// <summary>One collection: its generation, the time the process was paused for it, and what it promoted.</summary>
internal sealed record GcPause(int Generation, double PauseMs, double PromotedMiB);

internal sealed class RuntimeSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _pauseAtStart = GC.GetTotalPauseDuration();
    private readonly int[] _collectionsAtStart = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly TimeSpan _cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly long _allocatedAtStart = GC.GetTotalAllocatedBytes();
    private readonly Task _sampling;
    private readonly List<GcPause> _pauses = [];
    private readonly List<RuntimeSecond> _seconds = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private (long Jit, TimeSpan JitTime, TimeSpan Pause, TimeSpan Cpu) _secondStart = Snapshot();
    private int _secondMaxThreads;
    private long _secondMaxQueued;
    private long _lastGcIndex = GC.GetGCMemoryInfo(GCKind.Any).Index;
    private long _maxQueued;
    private int _maxThreads;

    public RuntimeSampler() => _sampling = SampleAsync();

    public async Task<RuntimeStats> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        return new RuntimeStats(
            (GC.GetTotalPauseDuration() - _pauseAtStart).TotalMilliseconds,
            GC.CollectionCount(0) - _collectionsAtStart[0],
            GC.CollectionCount(1) - _collectionsAtStart[1],
            GC.CollectionCount(2) - _collectionsAtStart[2],
            Interlocked.Read(ref _maxQueued),
            Volatile.Read(ref _maxThreads),
            (Process.GetCurrentProcess().TotalProcessorTime - _cpuAtStart).TotalSeconds,
            GC.GetGCMemoryInfo().HeapSizeBytes,
            GC.GetGCMemoryInfo().PromotedBytes,
            GC.GetTotalAllocatedBytes() - _allocatedAtStart,
            _pauses,
            _seconds);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                _maxQueued = Math.Max(_maxQueued, ThreadPool.PendingWorkItemCount);
                _maxThreads = Math.Max(_maxThreads, ThreadPool.ThreadCount);
                _secondMaxQueued = Math.Max(_secondMaxQueued, ThreadPool.PendingWorkItemCount);
                _secondMaxThreads = Math.Max(_secondMaxThreads, ThreadPool.ThreadCount);
                if ((int)_clock.Elapsed.TotalSeconds > _seconds.Count)
                {
                    CloseSecond();
                }

                // The last collection's figures; two collections within one tick show as one (rare at these rates).
                var gc = GC.GetGCMemoryInfo(GCKind.Any);
                if (gc.Index != _lastGcIndex)
                {
                    _lastGcIndex = gc.Index;
                    _pauses.Add(new GcPause(gc.Generation, gc.PauseDurations[0].TotalMilliseconds + gc.PauseDurations[1].TotalMilliseconds, gc.PromotedBytes / 1048576.0));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        CloseSecond();
    }

    private void CloseSecond()
    {
        var now = Snapshot();
        _seconds.Add(new RuntimeSecond(
            _seconds.Count,
            now.Jit - _secondStart.Jit,
            (now.JitTime - _secondStart.JitTime).TotalMilliseconds,
            (now.Pause - _secondStart.Pause).TotalMilliseconds,
            (now.Cpu - _secondStart.Cpu).TotalSeconds,
            _secondMaxThreads,
            _secondMaxQueued));
        _secondStart = now;
        _secondMaxThreads = 0;
        _secondMaxQueued = 0;
    }

    private static (long Jit, TimeSpan JitTime, TimeSpan Pause, TimeSpan Cpu) Snapshot() =>
        (System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime(), GC.GetTotalPauseDuration(), Process.GetCurrentProcess().TotalProcessorTime);
}
