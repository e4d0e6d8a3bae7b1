using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace HyMiRec.Training.Benchmark;

/// <summary>The benchmark's JSON document: one row per model, metrics keyed "recall@10", "ndcg@10", ...</summary>
public sealed record BenchmarkReport(
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("protocol")] string Protocol,
    [property: JsonPropertyName("users")] int Users,
    [property: JsonPropertyName("items")] int Items,
    [property: JsonPropertyName("interactions")] long Interactions,
    [property: JsonPropertyName("quick")] bool Quick,
    [property: JsonPropertyName("results")] IReadOnlyList<BenchmarkRow> Results,
    [property: JsonPropertyName("seed"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Seed = null);

public sealed class BenchmarkRow
{
    [JsonPropertyName("model")]
    public required string Model { get; init; }

    /// <summary>The model's settings as it ran (<see cref="RowSettings"/>); absent in files written before they were recorded.</summary>
    [JsonPropertyName("settings")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Settings { get; init; }

    [JsonExtensionData]
    public Dictionary<string, object> Metrics { get; init; } = [];

    [JsonPropertyName("train_seconds")]
    public double TrainSeconds { get; init; }

    [JsonPropertyName("params")]
    public long Params { get; init; }

    [JsonPropertyName("note")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Note { get; init; }

    /// <summary>
    /// A metric of this row, whether it was computed in this process or read back from JSON; a row of a multi-seed
    /// file (<see cref="MultiSeedReport"/>) gives its mean, so readers such as plot-sweep take either kind of file.
    /// </summary>
    public double Metric(string key) => Metrics.TryGetValue(key, out var value)
        ? value is System.Text.Json.JsonElement json
            ? json.ValueKind == System.Text.Json.JsonValueKind.Object ? json.GetProperty("mean").GetDouble() : json.GetDouble()
            : Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)
        : throw new InvalidDataException($"model {Model} has no metric '{key}' (it has {string.Join(", ", Metrics.Keys)})");

    /// <summary>The standard deviation over seeds of a metric read from a multi-seed file; null for a single run, which has none.</summary>
    public double? MetricStd(string key) =>
        Metrics.TryGetValue(key, out var value) && value is System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Object } json
            && json.TryGetProperty("std", out var std) ? std.GetDouble() : null;
}
