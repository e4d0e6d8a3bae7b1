using HyMiRec.Model.Losses;

namespace HyMiRec.UnitTests.Interests;

public sealed class HungarianTests
{
    [Fact]
    public void Hand_example_takes_the_cheaper_crossing()
    {
        // Greedy on row 0 takes column 0 (cost 1) and leaves row 1 with 10; the optimum crosses: 2 + 3.
        var cost = new double[,] { { 1, 2 }, { 3, 10 } };
        Assert.Equal([1, 0], Hungarian.Solve(cost));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(2, 4)]
    [InlineData(4, 4)]
    [InlineData(3, 5)]
    [InlineData(5, 5)]
    public void Matches_brute_force_over_all_assignments(int rows, int columns)
    {
        var random = new Random((rows * 31) + columns);
        for (var trial = 0; trial < 50; trial++)
        {
            var cost = new double[rows, columns];
            for (var i = 0; i < rows; i++)
            {
                for (var j = 0; j < columns; j++)
                {
                    cost[i, j] = Math.Round((random.NextDouble() * 4) - 2, 2);
                }
            }

            var assignment = Hungarian.Solve(cost);
            Assert.Equal(rows, assignment.Distinct().Count());
            Assert.All(assignment, c => Assert.InRange(c, 0, columns - 1));
            Assert.Equal(BruteForce(cost), Total(cost, assignment), 9);
        }
    }

    [Fact]
    public void More_rows_than_columns_is_rejected() =>
        Assert.Throws<ArgumentException>(() => Hungarian.Solve(new double[3, 2]));

    private static double Total(double[,] cost, int[] assignment) => assignment.Select((c, r) => cost[r, c]).Sum();

    private static double BruteForce(double[,] cost)
    {
        var rows = cost.GetLength(0);
        var columns = cost.GetLength(1);
        var best = double.PositiveInfinity;
        void Search(int row, bool[] used, double sum)
        {
            if (row == rows)
            {
                best = Math.Min(best, sum);
                return;
            }

            for (var j = 0; j < columns; j++)
            {
                if (!used[j])
                {
                    used[j] = true;
                    Search(row + 1, used, sum + cost[row, j]);
                    used[j] = false;
                }
            }
        }

        Search(0, new bool[columns], 0);
        return best;
    }
}
