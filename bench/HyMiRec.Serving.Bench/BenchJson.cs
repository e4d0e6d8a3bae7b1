using System.Text.Json;

namespace HyMiRec.Serving.Bench;

/// <summary>--out FILE.json: <c>{"runs": [...]}</c>, one object per recompute mode (keys in docs/benchmarks-kafka.md).</summary>
internal static class BenchJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(string path, BenchArguments args, IReadOnlyList<RunResult> results, string model)
    {
        var runs = results.Select(r => new Dictionary<string, object?>
        {
            ["mode"] = r.Mode.ToString(),
            ["model"] = model,
            ["clicks"] = r.Clicks,
            ["users"] = args.Users,
            ["prefill"] = r.Prefill,
            ["partitions"] = args.Partitions,
            ["rate"] = args.Rate,
            ["storage"] = args.Storage.Length == 0 ? "memory" : "postgres",
            ["applied_s"] = r.AppliedSeconds,
            ["applied_clicks_per_s"] = r.AppliedPerSecond,
            ["raw_clicks_per_s"] = r.RawPerSecond,
            ["applied_over_raw"] = r.AppliedPerSecond / r.RawPerSecond,
            ["p50_ms"] = double.IsNaN(r.LatencyP50) ? null : r.LatencyP50,
            ["p99_ms"] = double.IsNaN(r.LatencyP99) ? null : r.LatencyP99,
            ["bytes_per_event"] = r.BytesPerEvent,
            ["to_history_p50_ms"] = Finite(r.Stages.HistoryP50),
            ["to_history_p99_ms"] = Finite(r.Stages.HistoryP99),
            ["recompute_p50_ms"] = Finite(r.Stages.RecomputeP50),
            ["recompute_p99_ms"] = Finite(r.Stages.RecomputeP99),
            ["mean_batch"] = r.MeanBatchSize,
            ["read_rate"] = args.ReadRate,
            ["warmup_s"] = args.WarmupSeconds,
            ["keep_active"] = args.KeepActive,
            ["settle"] = args.Settle,
            ["silo_settings"] = args.SiloSettings,
            ["read_sent"] = r.Reads?.Sent,
            ["read_failed"] = r.Reads?.Failed,
            ["read_p50_ms"] = r.Reads is { } p ? Finite(p.P50) : null,
            ["read_p99_ms"] = r.Reads is { } q ? Finite(q.P99) : null,
            ["read_max_ms"] = r.Reads is { } m ? Finite(m.Max) : null,
            ["gc_pause_ms"] = r.Runtime.GcPauseMs,
            ["gc_collections"] = new[] { r.Runtime.Gen0, r.Runtime.Gen1, r.Runtime.Gen2 },
            ["gc_pauses"] = r.Runtime.Pauses.Select(p => new { generation = p.Generation, pause_ms = p.PauseMs, promoted_mib = p.PromotedMiB }).ToArray(),
            ["max_threadpool_queue"] = r.Runtime.MaxQueuedWorkItems,
            ["max_threadpool_threads"] = r.Runtime.MaxThreads,
            ["process_cpu_s"] = r.Runtime.CpuSeconds,
            ["heap_mib"] = r.Runtime.HeapBytes / 1048576.0,
            ["allocated_mib"] = r.Runtime.AllocatedBytes / 1048576.0,
            ["timeline"] = r.Timeline.Select(t => new { second = t.Second, covered = t.Count, p50_ms = t.P50, p99_ms = t.P99, max_ms = t.Max }).ToArray(),
            ["runtime_timeline"] = r.Runtime.Seconds.Select(t => new { second = t.Second, jit_methods = t.JitMethods, jit_ms = t.JitMs, gc_pause_ms = t.GcPauseMs, cpu_s = t.CpuSeconds, max_threads = t.MaxThreads, max_queued = t.MaxQueued }).ToArray(),
            ["load_average"] = File.ReadAllText("/proc/loadavg").Trim(),
        }).ToArray();
        File.WriteAllText(path, JsonSerializer.Serialize(new { runs }, Indented));
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
