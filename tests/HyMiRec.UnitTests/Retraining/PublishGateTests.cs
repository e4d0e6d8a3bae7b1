using HyMiRec.Training;
using HyMiRec.Training.Retraining;

namespace HyMiRec.UnitTests.Retraining;

/// <summary>The publish gate on known paired holdout data: no training, no Kafka.</summary>
public sealed class PublishGateTests
{
    private static readonly string[] Gated = ["ndcg@10", "recall@50", "ndcg@50"];

    [Fact]
    public void A_candidate_clearly_worse_on_one_gated_metric_is_refused_even_if_the_others_hold()
    {
        // The reported regression: ndcg@10 unchanged (the old single-metric gate published it), recall@50 0.2500 vs 0.3059.
        var current = Scores(1000, u => (Base(u), u % 100 < 31 ? 1.0 : 0.0, Base(u) / 2));
        var candidate = Scores(1000, u => (Base(u), u % 100 < 25 ? 1.0 : 0.0, Base(u) / 2));

        var gate = new PublishGate(new GateSettings()).Decide(candidate, current, "v1", force: false);

        Assert.False(gate.Published, gate.Reason);
        Assert.False(gate.Forced);
        Assert.Contains("worse than v1 on recall@50 beyond the tolerance", gate.Reason, StringComparison.Ordinal);
        var recall = Assert.Single(gate.Paired!.Metrics, r => r.Metric == "recall@50");
        Assert.Equal(-0.06, recall.Difference, 10);
        Assert.True(recall.Upper < -0.005 && recall.Lower < recall.Difference && recall.Difference < recall.Upper, $"[{recall.Lower}, {recall.Upper}]");
        var ndcg = Assert.Single(gate.Paired.Metrics, r => r.Metric == "ndcg@10");
        Assert.Equal((0.0, 0.0, 0.0), (ndcg.Difference, ndcg.Lower, ndcg.Upper));
    }

    [Fact]
    public void A_candidate_within_noise_on_a_large_holdout_is_published()
    {
        // Per-user differences of +-e in antithetic pairs: mean exactly 0, the interval narrow and around 0.
        var current = Scores(2000, u => (0.5, 0.5, 0.5));
        var candidate = Scores(2000, u => (0.5 + Noise(u), 0.5 - Noise(u), 0.5 + (Noise(u) / 2)));

        var gate = new PublishGate(new GateSettings()).Decide(candidate, current, "v1", force: false);

        Assert.True(gate.Published, gate.Reason);
        Assert.False(gate.Forced);
        Assert.StartsWith("published: not worse than v1 on 2000 holdout users", gate.Reason, StringComparison.Ordinal);
        Assert.Equal(Gated, gate.Paired!.Metrics.Select(r => r.Metric));
        Assert.All(gate.Paired.Metrics, r =>
        {
            Assert.Equal(0, r.Difference, 10);
            Assert.True(r.Lower < 0 && r.Upper > 0 && r.HalfWidth < 0.02, $"{r.Metric} [{r.Lower}, {r.Upper}]");
        });
    }

    [Fact]
    public void A_small_holdout_is_refused_as_too_small_to_decide_and_force_publishes_it_saying_so()
    {
        // Better on every metric, but 30 users decide nothing.
        var current = Scores(30, u => (0.2, 0.3, 0.2));
        var candidate = Scores(30, u => (0.25, 0.35, 0.25));

        var gate = new PublishGate(new GateSettings()).Decide(candidate, current, "v1", force: false);
        Assert.False(gate.Published, gate.Reason);
        Assert.Contains("holdout too small to decide: 30 users < 200", gate.Reason, StringComparison.Ordinal);

        var forced = new PublishGate(new GateSettings()).Decide(candidate, current, "v1", force: true);
        Assert.True(forced.Published);
        Assert.True(forced.Forced);
        Assert.StartsWith("PUBLISHED BY --force although the gate refused: holdout too small", forced.Reason, StringComparison.Ordinal);
        Assert.Equal(30, forced.Paired!.Users);
    }

    [Fact]
    public void Enough_users_but_a_wide_interval_is_refused_as_too_small_to_decide()
    {
        // 300 users whose hits flip either way at random: the mean difference is near 0, its interval about +-0.08.
        var random = new Random(3);
        var flips = Enumerable.Range(0, 300).Select(_ => random.Next(2)).ToArray();
        var current = Scores(300, u => (flips[u], 0.3, 0.2));
        var candidate = Scores(300, u => (1 - flips[u], 0.3, 0.2));

        var gate = new PublishGate(new GateSettings()).Decide(candidate, current, "v1", force: false);

        Assert.False(gate.Published, gate.Reason);
        Assert.Contains("holdout too small to decide: 300 users, ndcg@10 CI half-width", gate.Reason, StringComparison.Ordinal);
        Assert.Contains("> 0.0200", gate.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_current_version_the_candidate_is_published_and_an_unknown_metric_is_a_usage_error()
    {
        var gate = new PublishGate(new GateSettings()).Decide(Scores(5, u => (0, 0, 0)), null, null, force: false);
        Assert.True(gate.Published);
        Assert.Null(gate.Paired);

        var error = Assert.Throws<UsageException>(() => new PublishGate(new GateSettings { Metrics = ["ndcg@10", "hitrate@7"] }));
        Assert.Contains("hitrate@7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bootstrap_interval_matches_the_normal_approximation_and_a_seed_reproduces_it()
    {
        var random = new Random(11);
        var differences = Enumerable.Range(0, 4000).Select(_ => random.NextDouble() - 0.4).ToArray();
        var mean = differences.Average();
        var sd = Math.Sqrt(differences.Sum(d => (d - mean) * (d - mean)) / (differences.Length - 1));
        var normalHalfWidth = 1.959964 * sd / Math.Sqrt(differences.Length);

        var (m, lower, upper) = PairedBootstrap.Intervals([differences], 2000, 0.95, seed: 42)[0];

        Assert.Equal(mean, m, 12);
        Assert.InRange((upper - lower) / 2, normalHalfWidth * 0.9, normalHalfWidth * 1.1);
        Assert.InRange((lower + upper) / 2, mean - (normalHalfWidth * 0.1), mean + (normalHalfWidth * 0.1));
        Assert.Equal((m, lower, upper), PairedBootstrap.Intervals([differences], 2000, 0.95, seed: 42)[0]);
        Assert.NotEqual(lower, PairedBootstrap.Intervals([differences], 2000, 0.95, seed: 43)[0].Lower);
        var (_, lower80, upper80) = PairedBootstrap.Intervals([differences], 2000, 0.80, seed: 42)[0];
        Assert.True(lower80 > lower && upper80 < upper, "a lower confidence gives a narrower interval");
    }

    [Fact]
    public void Holdout_scores_need_one_value_per_user_for_every_metric()
    {
        var scores = new HoldoutScores(new Dictionary<string, double[]> { ["ndcg@10"] = [0, 1, 0.5], ["recall@10"] = [1, 1, 1] });
        Assert.Equal(3, scores.Users);
        Assert.Equal(0.5, scores.Means()["ndcg@10"], 12);
        Assert.Throws<ArgumentException>(() => new HoldoutScores(new Dictionary<string, double[]> { ["ndcg@10"] = [0, 1], ["recall@10"] = [1] }));
    }

    private static double Base(int user) => (user % 7) / 10.0;

    private static double Noise(int user) => (user % 2 == 0 ? 1 : -1) * ((user / 2) % 10) / 100.0;

    private static HoldoutScores Scores(int users, Func<int, (double Ndcg10, double Recall50, double Ndcg50)> perUser)
    {
        var values = Enumerable.Range(0, users).Select(perUser).ToArray();
        return new HoldoutScores(new Dictionary<string, double[]>
        {
            ["ndcg@10"] = [.. values.Select(v => v.Ndcg10)],
            ["recall@50"] = [.. values.Select(v => v.Recall50)],
            ["ndcg@50"] = [.. values.Select(v => v.Ndcg50)],
        });
    }
}
