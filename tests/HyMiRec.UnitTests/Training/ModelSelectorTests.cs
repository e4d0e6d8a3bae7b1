using HyMiRec.Training;
using HyMiRec.Training.Training;

namespace HyMiRec.UnitTests.Training;

/// <summary>The selection decision on stand-in models: what is chosen, what is disposed, and how a bad candidate stops it.</summary>
public sealed class ModelSelectorTests
{
    [Fact]
    public void The_highest_validation_score_wins_and_every_loser_is_disposed()
    {
        var models = new Dictionary<string, Fake> { ["a"] = new(0.10, 0), ["b"] = new(0.30, 0), ["c"] = new(0.20, 0) };
        var lines = new List<string>();

        var outcome = Selector(models).Run(lines.Add);

        Assert.Equal("b", outcome.Chosen);
        Assert.Same(models["b"], outcome.Winner);
        Assert.Equal([("a", 0.10, 3), ("b", 0.30, 3), ("c", 0.20, 3)], outcome.Candidates.Select(c => (c.Name, c.Validation, c.Epochs)));
        Assert.Equal((true, false, true), (models["a"].Disposed, models["b"].Disposed, models["c"].Disposed));
        Assert.Equal(4, lines.Count); // one per candidate and the choice
        Assert.StartsWith("chose b", lines[^1]);
    }

    [Fact]
    public void A_tie_keeps_the_earlier_simpler_candidate()
    {
        var models = new Dictionary<string, Fake> { ["simple"] = new(0.25, 0), ["bigger"] = new(0.25, 0) };

        var outcome = Selector(models).Run(_ => { });

        Assert.Equal("simple", outcome.Chosen);
        Assert.True(models["bigger"].Disposed);
    }

    [Fact]
    public void Test_scores_never_decide_only_validation_does()
    {
        // The candidate that would win on test is worse on validation; the fit function hands over validation only.
        var models = new Dictionary<string, Fake> { ["best-on-test"] = new(0.10, 0.90), ["best-on-validation"] = new(0.20, 0.05) };

        var outcome = Selector(models).Run(_ => { });

        Assert.Equal("best-on-validation", outcome.Chosen);
        Assert.True(models["best-on-test"].Test > models["best-on-validation"].Test);
    }

    [Fact]
    public void A_failing_candidate_stops_the_selection_naming_it_and_frees_the_models_trained_so_far()
    {
        var models = new Dictionary<string, Fake> { ["good"] = new(0.30, 0), ["broken"] = new(0.50, 0) { Fails = true } };

        var error = Assert.Throws<InvalidOperationException>(() => Selector(models).Run(_ => { }));

        Assert.Contains("candidate broken failed", error.Message);
        Assert.True(models["good"].Disposed);
        Assert.True(models["broken"].Disposed);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(null)]
    public void A_candidate_without_a_finite_validation_score_is_refused_rather_than_ranked_last(double? score)
    {
        var models = new Dictionary<string, Fake> { ["good"] = new(0.30, 0), ["unjudged"] = new(score, 0) };

        var error = Assert.Throws<UsageException>(() => Selector(models).Run(_ => { }));

        Assert.Contains("candidate unjudged has no finite validation score", error.Message);
        Assert.True(models["good"].Disposed && models["unjudged"].Disposed);
    }

    [Fact]
    public void An_empty_or_repeating_grid_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new ModelSelector<Fake>([], _ => new Fake(0, 0), _ => new CandidateFit(0, 1)));
        Assert.Throws<ArgumentException>(() => new ModelSelector<Fake>(["a", "a"], _ => new Fake(0, 0), _ => new CandidateFit(0, 1)));
    }

    private static ModelSelector<Fake> Selector(Dictionary<string, Fake> models) =>
        new([.. models.Keys], name => models[name], model => model.Fit());

    private sealed class Fake(double? validation, double test) : IDisposable
    {
        public bool Fails { get; init; }

        public bool Disposed { get; private set; }

        /// <summary>What the model would score on the test split; selection has no way to ask for it.</summary>
        public double Test => test;

        public CandidateFit Fit() => Fails ? throw new InvalidDataException("diverged") : new CandidateFit(validation, 3);

        public void Dispose() => Disposed = true;
    }
}
