using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using HyMiRec.Model.Codebooks;
using HyMiRec.Training.Training;

namespace HyMiRec.Training.Benchmark;

/// <summary>
/// What a benchmark row's model was: its architecture and training settings as they were when it ran. Model names are
/// read against the defaults of the day ("hymirec" was s = 2 before it was s = 3), so a result file says its settings
/// itself and stays readable after the defaults move.
/// </summary>
public static class RowSettings
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DropRunContext } },
    };

    /// <summary>The row's settings; null for a model without any (popularity).</summary>
    public static JsonObject? Of(IRecommender model) => model switch
    {
        HyMiRecRecommender h => new JsonObject
        {
            ["model"] = Node(h.Options),
            ["training"] = Node(h.Training),
            ["losses_and_steps"] = Node(h.Extra),
        },
        SasRecRecommender s => new JsonObject
        {
            ["model"] = Node(s.ModelOptions),
            ["training"] = Node(s.TrainingOptions),
        },
        _ => null,
    };

    /// <summary>SASRec's settings plus the codebook whose decodes replaced its item embeddings.</summary>
    public static JsonObject OfDecoded(SasRecRecommender sasrec, ResidualQuantizer codebook)
    {
        var described = Of(sasrec)!;
        described["item_codebook"] = new JsonObject { ["kind"] = Node(codebook.Kind), ["layers"] = codebook.Layers, ["codes"] = codebook.Codes };
        return described;
    }

    /// <summary>The refined interests (s) and target window (w) a HyMiRec row was trained with, when its file says so.</summary>
    public static (int S, int W)? SizeOf(BenchmarkRow row) =>
        row.Settings?["model"] is JsonObject model
            && model["refined_queries"] is JsonValue s && model["target_window"] is JsonValue w
            ? (s.GetValue<int>(), w.GetValue<int>())
            : null;

    private static JsonNode Node<T>(T value) => JsonSerializer.SerializeToNode(value, Json)!;

    // The clock is how the run was timed, and the seed is the report's own field, so a multi-seed row can carry one
    // set of settings for all its seeds.
    private static void DropRunContext(JsonTypeInfo info)
    {
        if (info.Type != typeof(TrainingOptions))
        {
            return;
        }

        foreach (var property in info.Properties.Where(p => p.PropertyType == typeof(TimeProvider) || p.Name == "seed").ToList())
        {
            info.Properties.Remove(property);
        }
    }
}
