using HyMiRec.Model.Modules;
using static TorchSharp.torch;

namespace HyMiRec.UnitTests.Modules;

public sealed class SasRecModelTests
{
    private static readonly SasRecOptions Small = new() { Dimension = 16, Blocks = 2, Heads = 2, MaxLength = 8, Dropout = 0.0 };

    [Fact]
    public void Output_at_a_position_ignores_later_items()
    {
        manual_seed(7);
        using var model = new SasRecModel(20, Small);
        model.eval();
        using var _ = no_grad();
        var a = model.forward(tensor(new long[] { 0, 0, 3, 4, 5, 6 }, [1, 6]));
        var b = model.forward(tensor(new long[] { 0, 0, 3, 4, 9, 11 }, [1, 6]));

        Assert.True(a[0, ..4].allclose(b[0, ..4], atol: 1e-5));
        Assert.False(a[0, 5].allclose(b[0, 5], atol: 1e-3));
    }

    [Fact]
    public void Padding_does_not_change_the_last_state()
    {
        manual_seed(7);
        using var model = new SasRecModel(20, Small);
        model.eval();
        using var _ = no_grad();
        var shortInput = model.forward(tensor(new long[] { 3, 4, 5 }, [1, 3]))[0, -1];
        var padded = model.forward(tensor(new long[] { 0, 0, 0, 3, 4, 5 }, [1, 6]))[0, -1];

        Assert.True(shortInput.allclose(padded, atol: 1e-5));
    }

    [Fact]
    public void Batched_forward_equals_one_at_a_time()
    {
        manual_seed(3);
        using var model = new SasRecModel(30, Small);
        model.eval();
        using var _ = no_grad();
        var batch = tensor(new long[] { 0, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 9 }, [3, 4]);
        var together = model.forward(batch);
        for (var row = 0; row < 3; row++)
        {
            Assert.True(together[row].allclose(model.forward(batch[row..(row + 1)])[0], atol: 1e-5));
        }
    }

    [Fact]
    public void Invalid_sizes_are_rejected_with_a_reason()
    {
        var error = Assert.Throws<ArgumentException>(() => new SasRecOptions { Dimension = 10, Heads = 3 }.Validate());
        Assert.Contains("divisible", error.Message, StringComparison.Ordinal);
    }
}
