using System.Text;
using HyMiRec.Model.Data;

namespace HyMiRec.UnitTests.Data;

public sealed class RecBoleReaderTests
{
    private const string InterHeader = "user_id:token\titem_id:token\trating:float\ttimestamp:float";

    [Fact]
    public void Reads_inter_in_any_column_order_ignoring_extra_columns_and_sorting_each_user_by_time()
    {
        using var dir = new TempDirectory();

        // Column order differs from RecBole's usual one; rating and label must be ignored whatever they hold.
        var inter = dir.Write(
            "toy.inter",
            "timestamp:float\tlabel:token\titem_id:token\tuser_id:token\trating:float",
            "30.5\tx\tb\tu2\t4",
            "10\ty\ta\tu2\t5",
            "",
            "20\tz\tc\tu1\t1",
            "10\t\tb\tu2\tnot-a-number");
        var data = RecBoleReader.Load(inter);

        Assert.Equal("toy", data.Name);
        Assert.Equal(["", "b", "a", "c"], data.ItemIds);
        Assert.False(data.HasItemText);
        Assert.Equal(["u2", "u1"], data.Users.Select(u => u.UserId));
        Assert.Equal([2, 1, 1], data.Users[0].Items); // a@10 then b@10 in file order, then b@30.5
        Assert.Equal([10L, 10L, 30L], data.Users[0].Timestamps);
        Assert.Equal([3], data.Users[1].Items);
    }

    [Fact]
    public void Item_file_gives_catalog_order_and_text_from_token_columns()
    {
        using var dir = new TempDirectory();
        var inter = dir.Write("toy.inter", InterHeader, "1\t20\t4\t5", "1\t99\t4\t6", "2\t10\t3\t1");
        File.WriteAllText(
            dir.File("toy.item"),
            "item_id:token\tmovie_title:token_seq\trelease_year:float\tclass:token_seq\n" +
            "10\tAmélie\t2001\tComedy Romance\n" +
            "20\tHeat\t1995\t\n" +
            "30\tNever Rated\t1980\tDrama\n",
            new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var data = RecBoleReader.Load(inter);

        // Item-file order first (unrated 30 included), then items only the interactions name.
        Assert.Equal(["", "10", "20", "30", "99"], data.ItemIds);
        Assert.Equal(["", "Amélie | Comedy Romance", "Heat", "Never Rated | Drama", ""], data.ItemTexts);
        Assert.True(data.HasItemText);
        Assert.Equal([2, 4], data.Users[0].Items);
    }

    [Fact]
    public void Without_a_timestamp_column_line_order_is_time_order()
    {
        using var dir = new TempDirectory();
        var inter = dir.Write("toy.inter", "item_id:token\tuser_id:token", "b\tu", "a\tu", "c\tu");
        var data = RecBoleReader.Load(inter);

        Assert.Equal([1, 2, 3], data.Users[0].Items);
        Assert.Equal([2L, 3L, 4L], data.Users[0].Timestamps);
    }

    [Theory]
    [InlineData("user_id\titem_id:token", 1, "toy.inter line 1: header column 'user_id' is not name:type")]
    [InlineData("user_id:token\titem_id:text", 1, "toy.inter line 1: header column 'item_id:text' is not name:type")]
    [InlineData("user_id:token\trating:float", 1, "toy.inter line 1: no item_id column (columns: user_id, rating)")]
    [InlineData("user_id:token\titem_id:token\ttimestamp:float\n1\t2\tsoon", 2, "toy.inter line 2: timestamp is not a number: 'soon'")]
    [InlineData("user_id:token\titem_id:token\n1\t2\n\n1", 4, "toy.inter line 4: expected 2 tab-separated fields, got 1")]
    [InlineData("user_id:token\titem_id:token\n1\t ", 2, "toy.inter line 2: item_id is empty")]
    public void Bad_inter_files_name_the_file_and_line(string contents, int line, string message)
    {
        using var dir = new TempDirectory();
        var inter = dir.Write("toy.inter", contents);

        var error = Assert.Throws<DatasetFormatException>(() => RecBoleReader.Load(inter));
        Assert.Equal(inter, error.FilePath);
        Assert.Equal(line, error.LineNumber);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("movie_title:token_seq\nHeat", 1, "toy.item line 1: no item_id column (columns: movie_title)")]
    [InlineData("item_id:token\tmovie_title:token_seq\n10\tHeat\n10\tAgain", 3, "toy.item line 3: item 10 appears more than once")]
    public void Bad_item_files_name_the_file_and_line(string contents, int line, string message)
    {
        using var dir = new TempDirectory();
        var inter = dir.Write("toy.inter", InterHeader, "1\t10\t4\t5");
        var item = dir.Write("toy.item", contents);

        var error = Assert.Throws<DatasetFormatException>(() => RecBoleReader.Load(inter));
        Assert.Equal(item, error.FilePath);
        Assert.Equal(line, error.LineNumber);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_header_without_interactions_is_an_error_naming_the_file()
    {
        using var dir = new TempDirectory();
        var inter = dir.Write("toy.inter", InterHeader);

        var error = Assert.Throws<DatasetFormatException>(() => RecBoleReader.Load(inter));
        Assert.Equal("toy.inter: no interactions", error.Message);
    }
}
