using HyMiRec.Model.Data;

namespace HyMiRec.UnitTests.Data;

public sealed class PlainSequenceReaderTests
{
    [Fact]
    public void Line_order_is_time_order_with_increasing_synthetic_timestamps()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("Beauty.txt", "1 5", "2 7", "", "1\t7", "1  5", "user-x item-9");
        var data = PlainSequenceReader.Load(path);

        Assert.Equal("Beauty", data.Name);
        Assert.Equal(["", "5", "7", "item-9"], data.ItemIds);
        Assert.False(data.HasItemText);
        Assert.Equal(["1", "2", "user-x"], data.Users.Select(u => u.UserId));
        Assert.Equal([1, 2, 1], data.Users[0].Items);
        Assert.Equal([1L, 4L, 5L], data.Users[0].Timestamps);
        Assert.Equal([2L], data.Users[1].Timestamps);
    }

    [Theory]
    [InlineData("1 5 4", "expected 2 whitespace-separated fields (user item), got 3")]
    [InlineData("7", "expected 2 whitespace-separated fields (user item), got 1")]
    public void A_bad_line_names_the_file_and_line(string badLine, string problem)
    {
        using var dir = new TempDirectory();
        var path = dir.Write("Beauty.txt", "1 5", "", badLine);

        var error = Assert.Throws<DatasetFormatException>(() => PlainSequenceReader.Load(path));
        Assert.Equal(path, error.FilePath);
        Assert.Equal(3, error.LineNumber);
        Assert.Equal($"Beauty.txt line 3: {problem}", error.Message);
    }
}
