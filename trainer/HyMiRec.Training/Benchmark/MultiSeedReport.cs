using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace HyMiRec.Training.Benchmark;

/// <summary>
/// The benchmark's JSON document for several seeds: <see cref="BenchmarkReport"/>'s fields plus the seeds, with each
/// metric a <see cref="SeedStatistic"/> over the seeds and each model's paired difference to <see cref="Baseline"/>,
/// the first model listed.
/// </summary>
public sealed record MultiSeedReport(
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("protocol")] string Protocol,
    [property: JsonPropertyName("users")] int Users,
    [property: JsonPropertyName("items")] int Items,
    [property: JsonPropertyName("interactions")] long Interactions,
    [property: JsonPropertyName("quick")] bool Quick,
    [property: JsonPropertyName("seeds")] IReadOnlyList<int> Seeds,
    [property: JsonPropertyName("baseline")] string Baseline,
    [property: JsonPropertyName("results")] IReadOnlyList<MultiSeedRow> Results);

/// <summary>Mean and sample standard deviation (n - 1) of one value over the seeds, with the value of each seed in seed order.</summary>
public sealed record SeedStatistic(
    [property: JsonPropertyName("mean")] double Mean,
    [property: JsonPropertyName("std")] double Std,
    [property: JsonPropertyName("per_seed")] IReadOnlyList<double> PerSeed);

public sealed class MultiSeedRow
{
    [JsonPropertyName("model")]
    public required string Model { get; init; }

    /// <summary>The model's settings, the same for every seed (<see cref="RowSettings"/>).</summary>
    [JsonPropertyName("settings")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Settings { get; init; }

    /// <summary>"recall@10" and the other metric keys, each a <see cref="SeedStatistic"/>, as in the single-seed rows.</summary>
    [JsonExtensionData]
    public Dictionary<string, object> Metrics { get; init; } = [];

    /// <summary>Mean training time over the seeds.</summary>
    [JsonPropertyName("train_seconds")]
    public double TrainSeconds { get; init; }

    [JsonPropertyName("params")]
    public long Params { get; init; }

    [JsonPropertyName("note")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Note { get; init; }

    /// <summary>Per metric: this model's value minus the baseline's on the same seed. Null for the baseline itself.</summary>
    [JsonPropertyName("paired_difference")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, SeedStatistic>? PairedDifference { get; init; }

    public SeedStatistic Metric(string key) => Metrics.TryGetValue(key, out var value) && value is SeedStatistic statistic
        ? statistic
        : throw new InvalidDataException($"model {Model} has no metric '{key}'");
}
