using HyMiRec.Model.Interests;
using HyMiRec.Model.Modules;
using static TorchSharp.torch;

namespace HyMiRec.UnitTests.Modules;

public sealed class LlamaBlockTests
{
    private static readonly bool[] Valid = [false, false, true, true, true, true, true, true, true, true, true, true, true, true];

    [Fact]
    public void A_block_run_for_some_rows_gives_those_rows_of_the_whole_pass()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(5);
        using var block = new LlamaBlock("block", dimension: 16, heads: 2, feedForward: 32, dropout: 0);
        block.eval();
        var x = randn(2, 9, 16); // [B, L, D]
        var valid = tensor(Valid).view(2, 7); // the first row's two oldest tokens are padding
        var cuts = tensor(new long[] { 6, 3 }).view(2, 1);
        var mask = QueryLayout.Mask(valid, cuts, groupSize: 2, window: null); // [B, 1, 9, 9]: 7 items, then a group of 2 queries
        var rotary = RotaryTables.Create(QueryLayout.Positions(2, 7, cuts, 2), headDimension: 8, theta: 10000);
        var rows = tensor(new long[] { 7, 8, 6, 7, 8, 2 }).view(2, 3); // the queries, and one item token per row

        var whole = block.forward(x, mask, rotary); // [B, L, D]
        var some = block.ForwardRows(x, mask, rotary, rows); // [B, 3, D]

        Assert.Equal([2, 3, 16], some.shape);
        Assert.True(some.allclose(whole.gather(1, rows.unsqueeze(-1).expand(-1, -1, 16)), atol: 1e-5));
        Assert.False(some[0].allclose(some[1], atol: 1e-3), "each row of the batch reads its own tokens");
    }
}
