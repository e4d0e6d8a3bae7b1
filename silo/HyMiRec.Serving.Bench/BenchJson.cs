using System.Text.Json;

namespace HyMiRec.Serving.Bench;

/// <summary>--out FILE.json: <c>{"runs": [...]}</c>, one object per recompute mode (keys in docs/benchmarks-kafka.md).</summary>
internal static class BenchJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(string path, BenchArguments args, IReadOnlyList<RunResult> results)
    {
        var runs = results.Select(r => new Dictionary<string, object?>
        {
            ["mode"] = r.Mode.ToString(),
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
            ["load_average"] = File.ReadAllText("/proc/loadavg").Trim(),
        }).ToArray();
        File.WriteAllText(path, JsonSerializer.Serialize(new { runs }, Indented));
    }
}
