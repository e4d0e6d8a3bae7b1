using HyMiRec.Model.Serving;
using HyMiRec.Training.Retraining;

namespace HyMiRec.UnitTests.Retraining;

public sealed class ReplayDatasetTests
{
    private static readonly ItemCatalog Catalog = new(["", "a", "b", "c", "d", "e", "f", "g"], ["", "ta", "tb", "tc", "td", "te", "tf", "tg"]);

    [Fact]
    public void Log_order_wins_over_event_time_and_the_newest_window_is_held_out()
    {
        var t = DateTimeOffset.UnixEpoch;
        ReplayedClick[] clicks =
        [
            new("u", "c", t.AddSeconds(1), 2, 12),
            new("u", "a", t.AddSeconds(9), 2, 10), // a late clock: the log still has it first
            new("u", "b", t.AddSeconds(5), 2, 11),
            new("u", "d", t.AddSeconds(2), 2, 13),
            new("u", "e", t.AddSeconds(3), 2, 14),
            new("u", "f", t.AddSeconds(4), 2, 15),
            new("short", "a", t, 0, 1),
            new("short", "zzz", t, 0, 2),
            new("short", "b", t, 0, 3),
        ];

        var data = ReplayDataset.Build(clicks, Catalog, window: 2, name: "t");

        var user = Assert.Single(data.Training.Users, u => u.UserId == "u");
        Assert.Equal([1, 2, 3, 4], user.Items);
        var holdout = Assert.Single(data.Holdout);
        Assert.Equal("u", holdout.UserId);
        Assert.Equal(["a", "b", "c", "d"], holdout.Input);
        Assert.Equal(["e", "f"], holdout.Targets);

        // Too short for a window plus 3 training clicks: all of it trains, nothing is held out.
        Assert.Equal([1, 2], Assert.Single(data.Training.Users, u => u.UserId == "short").Items);
        Assert.Equal(1, data.UnknownItemClicks);
        Assert.Equal(2, data.Users);
    }

    [Fact]
    public void Holdout_metrics_match_hand_computed_values()
    {
        // Targets {x, y}; ranked list hits x at rank 1 and y at rank 3 (0-based 0 and 2).
        var (recall, ndcg) = HoldoutEvaluator.Score(["x", "q", "y", "r"], ["x", "y"], k: 10);
        Assert.Equal(1.0, recall, 12);
        Assert.Equal((1 + (1 / Math.Log2(4))) / (1 + (1 / Math.Log2(3))), ndcg, 12);

        // Only the top 2 count: one hit of two targets.
        (recall, ndcg) = HoldoutEvaluator.Score(["q", "x", "y"], ["x", "y", "x"], k: 2);
        Assert.Equal(0.5, recall, 12);
        Assert.Equal((1 / Math.Log2(3)) / (1 + (1 / Math.Log2(3))), ndcg, 12);

        Assert.Equal((0.0, 0.0), HoldoutEvaluator.Score(["q"], ["x"], k: 10));
    }

    [Fact]
    public void Item_events_extend_the_catalog_without_moving_existing_items()
    {
        Assert.True(ItemEventCodec.TryDecode(ItemEventCodec.Encode("h", "new text"), out var added));
        Assert.True(ItemEventCodec.TryDecode("{\"itemId\":\"a\",\"text\":\"changed\"}"u8.ToArray(), out var changed));
        Assert.False(ItemEventCodec.TryDecode("{\"itemId\":\"a\"}"u8.ToArray(), out _));
        Assert.False(ItemEventCodec.TryDecode("{\"schema\":2,\"itemId\":\"a\",\"text\":\"x\"}"u8.ToArray(), out _));
        Assert.False(ItemEventCodec.TryDecode("not json"u8.ToArray(), out _));
        Assert.False(ItemEventCodec.TryDecode("[1]"u8.ToArray(), out _));

        var grown = Catalog.With([added, changed]);
        Assert.Equal(8, grown.ItemCount);
        Assert.True(grown.TryGetIndex("h", out var h));
        Assert.Equal(8, h);
        Assert.Equal("changed", grown.ItemTexts[1]);
        Assert.Equal(Catalog.ItemIds, grown.ItemIds[..8]);
    }

    [Fact]
    public void Catalog_files_round_trip_awkward_text()
    {
        using var directory = new TempDirectory();
        var catalog = new ItemCatalog(["", "id\twith tab", "plain"], ["", "line\nbreak \\ slash", "ok"]);
        catalog.WriteTsv(directory.File("c.tsv"));
        var read = ItemCatalog.ReadTsv(directory.File("c.tsv"));
        Assert.Equal(catalog.ItemIds, read.ItemIds);
        Assert.Equal(catalog.ItemTexts, read.ItemTexts);

        File.WriteAllText(directory.File("bad.tsv"), "a\tx\nno-tab-here\n");
        var error = Assert.Throws<InvalidDataException>(() => ItemCatalog.ReadTsv(directory.File("bad.tsv")));
        Assert.Contains("bad.tsv:2", error.Message, StringComparison.Ordinal);
    }
}
