using HyMiRec.Model.Interests;
using static TorchSharp.torch;

namespace HyMiRec.UnitTests.Interests;

public sealed class ItemTowerTests
{
    private const int Width = 8;

    private static readonly HyMiRecOptions Small = new()
    {
        Dimension = 16, Heads = 2, Dropout = 0, TextBlocks = 2, MaxTextTokens = Width,
    };

    /// <summary>Rows of 0 (the padding item) to <see cref="Width"/> tokens, [CLS] (2) first, padding trailing.</summary>
    private static Tensor MixedRows(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new long[count * Width];
        for (var r = 1; r < count; r++)
        {
            var length = random.Next(1, Width + 1);
            rows[r * Width] = 2;
            for (var t = 1; t < length; t++)
            {
                rows[(r * Width) + t] = random.Next(5, 40);
            }
        }

        return tensor(rows).view(count, Width);
    }

    [Fact]
    public void Rows_grouped_by_length_give_the_summaries_and_gradients_of_the_padded_pass()
    {
        manual_seed(7);
        using var tower = new ItemTower(Small, itemCount: 40, vocabularySize: 40);
        var tokens = MixedRows(41, seed: 3); // [N+1, T]
        var weights = randn(41, Small.Dimension); // [N+1, D]

        var padded = tower.Encode(tokens); // [N+1, D] every row at the full width
        (padded * weights).sum().backward();
        var paddedGradients = tower.parameters().Select(p => p.grad?.clone()).ToArray(); // the id table has none here
        tower.zero_grad();

        var grouped = tower.TextSummaries(tokens)!; // [N+1, D]
        (grouped * weights).sum().backward();
        var groupedGradients = tower.parameters().Select(p => p.grad).ToArray();

        Assert.Equal(padded.shape, grouped.shape);
        Assert.Contains(paddedGradients, g => g is not null);
        Assert.True(grouped.allclose(padded, rtol: 1e-4, atol: 1e-5), "a row's summary depends on its padding");
        for (var i = 0; i < paddedGradients.Length; i++)
        {
            var (expected, actual) = (paddedGradients[i], groupedGradients[i]);
            Assert.Equal(expected is null, actual is null);
            Assert.True(expected is null || expected.allclose(actual!, rtol: 1e-4, atol: 1e-5), $"gradient of parameter {i} differs");
        }
    }

    [Fact]
    public void A_row_summary_does_not_depend_on_the_other_rows_of_its_pass()
    {
        manual_seed(9);
        using var tower = new ItemTower(Small, itemCount: 40, vocabularySize: 40);
        tower.eval();
        using var noGrad = no_grad();
        var tokens = MixedRows(41, seed: 5); // [N+1, T]
        var all = tower.TextSummaries(tokens)!; // [N+1, D]
        for (var row = 0; row < 41; row += 5)
        {
            var alone = tower.TextSummaries(tokens.narrow(0, row, 1))!; // [1, D]
            Assert.True(alone[0].allclose(all[row], rtol: 1e-4, atol: 1e-5), $"row {row} differs alone and in the catalog pass");
        }
    }
}
