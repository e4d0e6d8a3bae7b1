using HyMiRec.Model.Data;
using HyMiRec.Training;
using HyMiRec.Training.Benchmark;

namespace HyMiRec.UnitTests.Training;

/// <summary>The names a benchmark run is given: HyMiRec variants and the planted datasets.</summary>
public sealed class BenchmarkNamesTests
{
    [Theory]
    [InlineData("hymirec", 3, 4, 64, 20, true)]
    [InlineData("hymirec-s2-w4", 2, 4, 64, 20, true)]
    [InlineData("hymirec-s1-w1-d16", 1, 1, 16, 20, true)]
    [InlineData("hymirec-d128-s2", 2, 4, 128, 20, true)]
    [InlineData("hymirec-no-text-d32", 3, 4, 32, 20, false)]
    [InlineData("hymirec-n50", 3, 4, 64, 50, true)]
    [InlineData("hymirec-s1-n100-w1", 1, 1, 64, 100, true)]
    public void Suffixes_set_interests_window_width_and_recent_window(string name, int s, int w, int d, int n, bool text)
    {
        Assert.True(HyMiRecVariants.TryParse(name, out var options));
        Assert.Equal((s, w, d, n, text),
            (options.RefinedQueries, options.TargetWindow, options.Dimension, options.RecentWindow, options.UseText));
        Assert.True(options.CoarseReadsRecent && options.CoarseStateToken); // the default design; suffixes leave it
        options.Validate();
    }

    [Fact]
    public void Coarse_lag_stops_the_coarse_queries_n_events_short_of_the_newest_as_the_paper_does()
    {
        Assert.True(HyMiRecVariants.TryParse("hymirec", out var recent));
        Assert.Equal(0, recent.CoarseLag);
        Assert.True(HyMiRecVariants.TryParse("hymirec-coarse-lag-s2", out var options));
        Assert.Equal((false, 20, 2), (options.CoarseReadsRecent, options.CoarseLag, options.RefinedQueries));
    }

    [Theory]
    [InlineData("hymirec-b2", 2)]
    [InlineData("hymirec-coarse-lag-b3-s2", 3)]
    [InlineData("hymirec-b1", 1)]
    [InlineData("hymirec", 2)]
    public void The_b_suffix_sets_the_lightweight_recommenders_blocks(string name, int blocks)
    {
        Assert.True(HyMiRecVariants.TryParse(name, out var options));
        Assert.Equal(blocks, options.CoarseBlocks);
    }

    [Fact]
    public void The_paper_prefix_and_layout_are_named_and_no_coarse_drops_the_state_token_with_the_lightweight_recommender()
    {
        Assert.True(HyMiRecVariants.TryParse("hymirec-b1-coarse-lag-no-coarse-state", out var paper));
        Assert.Equal((false, false, 1, true), (paper.CoarseStateToken, paper.CoarseReadsRecent, paper.CoarseBlocks, paper.UseCoarse));

        // "no-coarse" is also the start of "no-coarse-state": the longer name is the one meant.
        Assert.True(HyMiRecVariants.TryParse("hymirec-no-coarse-state-s2", out var withoutState));
        Assert.Equal((false, true, 2), (withoutState.CoarseStateToken, withoutState.UseCoarse, withoutState.RefinedQueries));

        Assert.True(HyMiRecVariants.TryParse("hymirec-no-coarse", out var withoutCoarse));
        Assert.Equal((false, false), (withoutCoarse.UseCoarse, withoutCoarse.CoarseStateToken));
        Assert.False(HyMiRecVariants.TryParse("hymirec-coarse-recent", out _)); // the former name, now the default
    }

    [Theory]
    [InlineData("hymirec-b0")]
    [InlineData("hymirec-d6")] // 3 per head: rotary attention needs an even head width
    [InlineData("hymirec-d0")]
    [InlineData("hymirec-n0")]
    [InlineData("hymirec-s3-x4")]
    [InlineData("sasrec-d16")]
    public void Unknown_or_unbuildable_variants_are_refused(string name) =>
        Assert.False(HyMiRecVariants.TryParse(name, out _));

    [Fact]
    public void Planted_data_keeps_its_default_and_takes_a_size()
    {
        Assert.True(DatasetSource.TryPlanted("planted", out var standard));
        Assert.Equal(DatasetSource.PlantedOptions, standard);

        Assert.True(DatasetSource.TryPlanted("Planted:32x50x1000", out var sized));
        Assert.Equal((32, 50, 1000), (sized.Topics, sized.ItemsPerTopic, sized.Users));
        Assert.Equal((3, 3), (sized.MinTopics, sized.MaxTopics));

        Assert.False(DatasetSource.TryPlanted("sparse:100x200", out _));
        Assert.False(DatasetSource.TryPlanted("plantedx", out _));
    }

    [Theory]
    [InlineData("planted:32x50")]
    [InlineData("planted:2x50x100")] // fewer topics than the three each user has
    [InlineData("planted:32x1x100")]
    [InlineData("planted:32x50x-5")]
    [InlineData("planted:axbxc")]
    public void A_bad_planted_size_is_a_usage_error_that_shows_the_form(string data)
    {
        var error = Assert.Throws<UsageException>(() => DatasetSource.TryPlanted(data, out _));
        Assert.Contains("planted:TOPICSxITEMSxUSERS", error.Message);
    }

    [Fact]
    public void A_sized_planted_set_has_that_catalog_and_three_topics_per_user()
    {
        var data = SyntheticDataset.Generate(DatasetSource.PlantedOptions with { Topics = 12, ItemsPerTopic = 30, Users = 40, Seed = 3 });

        Assert.Equal(360, data.Dataset.ItemCount);
        Assert.Equal(40, data.Dataset.Users.Count);
        Assert.All(data.UserTopics, topics => Assert.Equal(3, topics.Length));
        Assert.All(
            data.Dataset.Users.Zip(data.UserTopics),
            pair => Assert.Equal(pair.Second, pair.First.Items.Select(i => data.ItemTopic[i]).Distinct().Order()));
    }
}
