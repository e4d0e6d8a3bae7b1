namespace HyMiRec.Model.Losses;

/// <summary>
/// Minimum-cost assignment (Hungarian method with row potentials, O(n^2 m)) of n rows to distinct columns, n &lt;= m.
/// </summary>
public static class Hungarian
{
    /// <param name="cost">[n, m] costs, n &lt;= m.</param>
    /// <returns>For each row, its column; no column is used twice and the total cost is minimal.</returns>
    public static int[] Solve(double[,] cost)
    {
        var n = cost.GetLength(0);
        var m = cost.GetLength(1);
        if (n > m)
        {
            throw new ArgumentException($"cannot assign {n} rows to {m} columns one-to-one");
        }

        // 1-based arrays; column 0 is the virtual start of each augmenting path.
        var rowPotential = new double[n + 1];
        var columnPotential = new double[m + 1];
        var rowOfColumn = new int[m + 1];
        var previous = new int[m + 1];
        for (var row = 1; row <= n; row++)
        {
            rowOfColumn[0] = row;
            var column = 0;
            var minimum = new double[m + 1];
            var used = new bool[m + 1];
            Array.Fill(minimum, double.PositiveInfinity);
            do
            {
                used[column] = true;
                var current = rowOfColumn[column];
                var delta = double.PositiveInfinity;
                var next = 0;
                for (var j = 1; j <= m; j++)
                {
                    if (used[j])
                    {
                        continue;
                    }

                    var reduced = cost[current - 1, j - 1] - rowPotential[current] - columnPotential[j];
                    if (reduced < minimum[j])
                    {
                        minimum[j] = reduced;
                        previous[j] = column;
                    }

                    if (minimum[j] < delta)
                    {
                        delta = minimum[j];
                        next = j;
                    }
                }

                for (var j = 0; j <= m; j++)
                {
                    if (used[j])
                    {
                        rowPotential[rowOfColumn[j]] += delta;
                        columnPotential[j] -= delta;
                    }
                    else
                    {
                        minimum[j] -= delta;
                    }
                }

                column = next;
            }
            while (rowOfColumn[column] != 0);

            do
            {
                var before = previous[column];
                rowOfColumn[column] = rowOfColumn[before];
                column = before;
            }
            while (column != 0);
        }

        var assignment = new int[n];
        for (var j = 1; j <= m; j++)
        {
            if (rowOfColumn[j] != 0)
            {
                assignment[rowOfColumn[j] - 1] = j - 1;
            }
        }

        return assignment;
    }
}
