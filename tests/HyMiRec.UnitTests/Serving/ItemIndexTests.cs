using HyMiRec.Model.Serving;

namespace HyMiRec.UnitTests.Serving;

public sealed class ItemIndexTests
{
    private const int Dimension = 8;

    [Fact]
    public void TopMatchesAFullSortByBestInterest()
    {
        var random = new Random(3);
        var rows = Rows(random, items: 300);
        var index = new ItemIndex(rows, Dimension);
        var queries = Enumerable.Range(0, 3 * Dimension).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();

        var expected = Enumerable.Range(1, 300)
            .Select(i => (Item: i, Score: Enumerable.Range(0, 3).Max(s => Dot(queries, s, rows, i))))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Item)
            .ToArray();
        var top = index.Top(queries, 25);

        Assert.Equal(expected.Take(25).Select(x => x.Item), top.Select(t => t.ItemIndex));
        Assert.Equal(expected[0].Score, top[0].Score, 4);
    }

    [Fact]
    public void ExcludedAndPaddingItemsAreNeverReturnedAndKIsCapped()
    {
        var index = new ItemIndex(Rows(new Random(5), items: 10), Dimension);
        var queries = Enumerable.Repeat(0.25f, Dimension).ToArray();

        var top = index.Top(queries, 50, new HashSet<int> { 2, 3, 4 });

        Assert.Equal(7, top.Count);
        Assert.DoesNotContain(top, t => t.ItemIndex is 0 or 2 or 3 or 4);
        Assert.True(top.Zip(top.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Fact]
    public void EqualScoresRankByItemIndexAndNonFiniteScoresAreLeftOut()
    {
        var rows = new float[4 * Dimension];
        rows.AsSpan(1 * Dimension, Dimension).Fill(1);
        rows.AsSpan(2 * Dimension, Dimension).Fill(float.NaN);
        rows.AsSpan(3 * Dimension, Dimension).Fill(1);
        var index = new ItemIndex(rows, Dimension);

        var top = index.Top(Enumerable.Repeat(1f, Dimension).ToArray(), 3);

        Assert.Equal([1, 3], top.Select(t => t.ItemIndex));
    }

    [Fact]
    public void ShapesThatDoNotFitAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new ItemIndex(new float[Dimension + 1], Dimension));
        var index = new ItemIndex(new float[3 * Dimension], Dimension);
        Assert.Throws<ArgumentException>(() => index.Top(new float[Dimension - 1], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Top(new float[Dimension], 0));
    }

    private static float[] Rows(Random random, int items)
    {
        var rows = new float[(items + 1) * Dimension];
        for (var i = Dimension; i < rows.Length; i++)
        {
            rows[i] = (float)random.NextDouble() - 0.5f;
        }

        return rows;
    }

    private static double Dot(float[] queries, int s, float[] rows, int item)
    {
        var sum = 0.0;
        for (var d = 0; d < Dimension; d++)
        {
            sum += (double)queries[(s * Dimension) + d] * rows[(item * Dimension) + d];
        }

        return sum;
    }
}
