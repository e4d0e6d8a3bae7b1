using HyMiRec.Model.Data;
using HyMiRec.Training;
using HyMiRec.Training.Benchmark;
using HyMiRec.Training.Evaluation;
using HyMiRec.Training.Training;

namespace HyMiRec.UnitTests.Training;

/// <summary>The benchmark's oracle row: the ceiling of a model on generated data.</summary>
public sealed class SyntheticOracleTests
{
    [Fact]
    public void The_oracle_ranks_planted_next_items_far_above_popularity()
    {
        var truth = DatasetSource.Generated("planted", 42)!;
        var split = LeaveOneOutSplit.Create(truth.Dataset);
        var oracle = new SyntheticOracleRecommender(truth);
        var popularity = new PopularityRecommender();
        oracle.Fit(split, new SilentTrainingReporter());
        popularity.Fit(split, new SilentTrainingReporter());

        var best = Evaluator.Evaluate(oracle, split.Test, excludeHistory: false);
        var counted = Evaluator.Evaluate(popularity, split.Test, excludeHistory: false);

        // A user's three topics hold 60 of 160 items, and the oracle puts them first.
        Assert.True(best["recall@50"] > 0.9, $"oracle recall@50 {best["recall@50"]}");
        Assert.True(best["recall@10"] > 1.5 * counted["recall@10"], $"oracle {best["recall@10"]}, popularity {counted["recall@10"]}");
    }

    [Fact]
    public void The_oracle_refuses_data_it_was_not_built_with()
    {
        var oracle = new SyntheticOracleRecommender(DatasetSource.Generated("planted", 42)!);
        var other = LeaveOneOutSplit.Create(DatasetSource.Load("planted", 1));
        Assert.Throws<InvalidOperationException>(() => oracle.Fit(other, new SilentTrainingReporter()));
    }

    [Fact]
    public void The_oracle_needs_generated_data()
    {
        var error = Assert.Throws<UsageException>(() => ModelCatalog.Validate(new BenchmarkSettings { Data = "/data/ml-1m", Models = ["popularity", "oracle"] }));
        Assert.Contains("generated data", error.Message, StringComparison.Ordinal);
        ModelCatalog.Validate(new BenchmarkSettings { Data = "planted:32x50x100", Models = ["oracle"] });
        Assert.Null(DatasetSource.Generated("/data/ml-1m", 42));
    }

    [Fact]
    public void Every_seed_of_a_multi_seed_run_gives_the_oracle_the_first_seeds_data()
    {
        var report = BenchmarkRunner.RunSeeds(new BenchmarkSettings { Data = "planted", Models = ["popularity", "oracle"], KeepHistory = true }, [7, 8], new SilentTrainingReporter());

        SeedStatistic Recall(string model) => (SeedStatistic)report.Results.Single(r => r.Model == model).Metrics["recall@10"];
        Assert.Equal(Recall("oracle").PerSeed[0], Recall("oracle").PerSeed[1]);
        Assert.True(Recall("oracle").Mean > Recall("popularity").Mean);
    }
}
