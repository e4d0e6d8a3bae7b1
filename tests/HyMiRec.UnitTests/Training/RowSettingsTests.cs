using System.Text.Json;
using System.Text.Json.Nodes;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Training;

namespace HyMiRec.UnitTests.Training;

/// <summary>Benchmark rows record the settings their model ran with, so files stay readable after the defaults move.</summary>
public sealed class RowSettingsTests
{
    [Fact]
    public void A_hymirec_row_records_its_sizes_losses_and_training_without_seed_or_clock()
    {
        var settings = new BenchmarkSettings { Data = "synthetic", Models = ["hymirec-s2-w8"], PositionWeight = 0, TimeBudget = TimeSpan.FromMinutes(5) };
        using var model = (HyMiRecRecommender)ModelCatalog.Create("hymirec-s2-w8", settings, textModel: null, itemText: true);

        var described = RowSettings.Of(model)!;

        Assert.Equal(2, described["model"]!["refined_queries"]!.GetValue<int>());
        Assert.Equal(8, described["model"]!["target_window"]!.GetValue<int>());
        Assert.Equal("cosine", described["model"]!["codebook_kind"]!.GetValue<string>());
        Assert.Equal(0, described["losses_and_steps"]!["position_next_item_weight"]!.GetValue<double>());
        Assert.Equal(1, described["losses_and_steps"]!["merged_next_item_weight"]!.GetValue<double>());
        Assert.Equal("00:05:00", described["training"]!["time_budget"]!.GetValue<string>());
        Assert.Equal(64, described["training"]!["batch_size"]!.GetValue<int>());
        Assert.False(described["training"]!.AsObject().ContainsKey("seed"));
        Assert.False(described["training"]!.AsObject().ContainsKey("clock"));
    }

    [Fact]
    public void A_sasrec_row_records_its_model_and_training_and_popularity_has_none()
    {
        var settings = new BenchmarkSettings { Data = "synthetic", Models = ["sasrec"] };
        using var sasrec = (SasRecRecommender)ModelCatalog.Create("sasrec", settings, textModel: null, itemText: true);

        var described = RowSettings.Of(sasrec)!;

        Assert.Equal(64, described["model"]!["dimension"]!.GetValue<int>());
        Assert.Equal("sequence", described["training"]!["negative_sampling"]!.GetValue<string>());
        Assert.Null(RowSettings.Of(new PopularityRecommender()));
    }

    [Fact]
    public void Settings_and_seed_survive_the_json_file_and_give_s_and_w_back()
    {
        var settings = new BenchmarkSettings { Data = "synthetic", Models = ["hymirec-s1-w1"] };
        using var model = (HyMiRecRecommender)ModelCatalog.Create("hymirec-s1-w1", settings, textModel: null, itemText: true);
        var report = new BenchmarkReport("toy", "leave-one-out", 1, 1, 1, Quick: true,
            [new BenchmarkRow { Model = "hymirec-s1-w1", Settings = RowSettings.Of(model), Metrics = new() { ["recall@10"] = 0.5 } }], Seed: 7);

        var read = JsonSerializer.Deserialize<BenchmarkReport>(JsonSerializer.Serialize(report))!;

        Assert.Equal(7, read.Seed);
        Assert.Equal((1, 1), RowSettings.SizeOf(read.Results[0]));
        Assert.Equal(0.5, read.Results[0].Metric("recall@10"));
        Assert.False(read.Results[0].Metrics.ContainsKey("settings"));
    }

    [Fact]
    public void A_row_from_a_file_without_settings_has_no_recorded_size()
    {
        var read = JsonSerializer.Deserialize<BenchmarkRow>("""{"model": "hymirec", "recall@10": 0.2, "train_seconds": 1, "params": 1}""")!;

        Assert.Null(read.Settings);
        Assert.Null(RowSettings.SizeOf(read));
        Assert.Null(RowSettings.SizeOf(new BenchmarkRow { Model = "x", Settings = new JsonObject { ["model"] = new JsonObject() } }));
    }
}
