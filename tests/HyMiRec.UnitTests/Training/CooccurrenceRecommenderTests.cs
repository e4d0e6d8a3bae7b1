using HyMiRec.Model.Data;
using HyMiRec.Training.Training;

namespace HyMiRec.UnitTests.Training;

public sealed class CooccurrenceRecommenderTests
{
    private static readonly float[] AfterTwo = [0f, 2.5f, 0.75f, 2.5f, 0f, 0f, 2.5f];
    private static readonly float[] AfterOneAndThree = [0f, 1.5f, 4.75f, 1.5f, 0f, 0f, 2.5f];
    private static readonly float[] TieBreakOnly = [0f, 0.5f, 0.75f, 0.5f, 0f, 0f, 0.5f];

    // Training sequences (the last two items of each user are validation and test): [1,2,3], [2,3,6], [1,6,2].
    // Neighbour counts: 1-2: 2, 2-3: 2, 2-6: 2, 1-3: 1, 3-6: 1, 1-6: 1. Popularity: 1: 2, 2: 3, 3: 2, 6: 2.
    private static LeaveOneOutSplit Split(int items = 6)
    {
        var ids = Enumerable.Range(0, items + 1).Select(i => i == 0 ? "" : $"i{i}").ToArray();
        UserSequence User(string id, params int[] sequence) => new(id, sequence, [.. sequence.Select((_, t) => (long)t)]);
        return LeaveOneOutSplit.Create(new InteractionDataset("tiny", ids, ids, [User("u1", 1, 2, 3, 4, 5), User("u2", 2, 3, 6, 1, 4), User("u3", 1, 6, 2, 5, 3)]));
    }

    [Fact]
    public void Scores_sum_the_neighbour_counts_of_the_last_items_and_popularity_breaks_ties()
    {
        var model = new CooccurrenceRecommender();
        model.Fit(Split(), new SilentTrainingReporter());
        using var scores = model.Score([[2], [1, 3]]);

        // Tie-break: popularity / (3 + 1).
        Assert.Equal(AfterTwo, scores[0].data<float>().ToArray());
        Assert.Equal(AfterOneAndThree, scores[1].data<float>().ToArray());
        Assert.Equal(12, model.ParameterCount); // six pairs, both orders
    }

    [Fact]
    public void Only_the_last_five_inputs_are_read()
    {
        var model = new CooccurrenceRecommender();
        model.Fit(Split(), new SilentTrainingReporter());

        // Item 6 (neighbour of 1, 2 and 3) is sixth from the end, so only the tie-break is left.
        using var scores = model.Score([[6, 4, 5, 4, 5, 4]]);
        Assert.Equal(TieBreakOnly, scores[0].data<float>().ToArray());
    }

    [Fact]
    public void A_catalog_too_large_for_the_dense_table_is_refused_with_its_size()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new CooccurrenceRecommender().Fit(Split(CooccurrenceRecommender.MaxItems + 1), new SilentTrainingReporter()));
        Assert.Contains($"{CooccurrenceRecommender.MaxItems + 1}", error.Message);
    }
}
