using HyMiRec.Model.Data;

namespace HyMiRec.UnitTests.Data;

public sealed class MovieLensReaderTests
{
    private static void Write100K(TempDirectory dir, params string[] ratings)
    {
        dir.Write("u.genre", "unknown|0", "Action|1", "Comedy|2", "");
        dir.Write(
            "u.item",
            "10|Café Noir (1990)|01-Jan-1990||http://x|0|1|1",
            "20|Toy (1995)|01-Jan-1995||http://y|0|0|1",
            "30|Never Rated (1980)|01-Jan-1980||http://z|1|0|0");
        dir.Write("u.data", ratings);
    }

    [Fact]
    public void Reads_100K_with_latin1_titles_file_order_items_and_stable_time_order()
    {
        using var dir = new TempDirectory();

        // User 5 rates 20 and 10 at the same second: file order must decide. Users sort numerically (2, 5, 10).
        Write100K(dir, "5\t20\t4\t100", "2\t10\t3\t50", "", "5\t10\t5\t100", "5\t20\t1\t90", "10\t20\t2\t7");
        var data = MovieLensReader.Load(dir.Path);

        Assert.Equal("ml-100k", data.Name);
        Assert.Equal(3, data.ItemCount);
        Assert.Equal(["", "10", "20", "30"], data.ItemIds);
        Assert.Equal("Café Noir (1990) | Action, Comedy", data.ItemTexts[1]);
        Assert.Equal("Toy (1995) | Comedy", data.ItemTexts[2]);
        Assert.Equal("Never Rated (1980) | unknown", data.ItemTexts[3]);
        Assert.Equal(["2", "5", "10"], data.Users.Select(u => u.UserId));
        Assert.Equal([2, 2, 1], data.Users[1].Items);
        Assert.Equal([90L, 100L, 100L], data.Users[1].Timestamps);
        Assert.Equal(5, data.InteractionCount);
    }

    [Fact]
    public void Reads_1M_with_genre_lists_and_all_users()
    {
        using var dir = new TempDirectory();
        dir.Write("movies.dat", "1::Amélie (2001)::Comedy|Romance", "2::Heat (1995)::Action|Crime|Thriller", "3::Unrated (2000)::Drama");
        dir.Write("ratings.dat", "12::2::5::300", "3::1::4::10", "12::1::3::300", "12::2::1::200", "3::2::2::5");
        var data = MovieLensReader.Load(dir.Path);

        Assert.Equal("ml-1m", data.Name);
        Assert.Equal(3, data.ItemCount);
        Assert.Equal("Amélie (2001) | Comedy, Romance", data.ItemTexts[1]);
        Assert.Equal("Heat (1995) | Action, Crime, Thriller", data.ItemTexts[2]);
        Assert.Equal(["3", "12"], data.Users.Select(u => u.UserId));
        Assert.Equal([2, 1], data.Users[0].Items);
        Assert.Equal([2, 2, 1], data.Users[1].Items);
        Assert.Equal([200L, 300L, 300L], data.Users[1].Timestamps);
    }

    [Theory]
    [InlineData("u.data", "1\t10\t3", 3, "u.data line 3: expected 4 tab-separated fields, got 3")]
    [InlineData("u.data", "x\t10\t3\t1", 3, "user id is not an integer")]
    [InlineData("u.data", "1\t10\t3\tsoon", 3, "timestamp is not an integer")]
    [InlineData("u.data", "1\t99\t3\t1", 3, "u.data line 3: item 99 is not in the item file")]
    [InlineData("u.item", "40|Short|x", 4, "u.item line 4: expected 8 |-separated fields, got 3")]
    [InlineData("u.item", "10|Again|d||u|0|0|1", 4, "item id 10 appears more than once")]
    public void Malformed_100K_lines_name_the_file_and_line(string file, string badLine, int line, string message)
    {
        using var dir = new TempDirectory();
        Write100K(dir, "1\t10\t3\t1", "", badLine);
        if (file == "u.item")
        {
            dir.Write(
                "u.item",
                "10|Café Noir (1990)|01-Jan-1990||http://x|0|1|1",
                "20|Toy (1995)|01-Jan-1995||http://y|0|0|1",
                "30|Never Rated (1980)|01-Jan-1980||http://z|1|0|0",
                badLine);
            dir.Write("u.data", "1\t10\t3\t1");
        }

        var error = Assert.Throws<DatasetFormatException>(() => MovieLensReader.Load(dir.Path));
        Assert.Equal(Path.Combine(dir.Path, file), error.FilePath);
        Assert.Equal(line, error.LineNumber);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("movies.dat", "4::No genres", "movies.dat line 2: expected 3 ::-separated fields, got 2")]
    [InlineData("ratings.dat", "1::7::3::5", "ratings.dat line 2: item 7 is not in the item file")]
    [InlineData("ratings.dat", "1::1::3", "ratings.dat line 2: expected 4 ::-separated fields, got 3")]
    public void Malformed_1M_lines_name_the_file_and_line(string file, string badLine, string message)
    {
        using var dir = new TempDirectory();
        dir.Write("movies.dat", "1::Amélie (2001)::Comedy", file == "movies.dat" ? badLine : "2::Heat (1995)::Action");
        dir.Write("ratings.dat", "1::1::3::5", file == "ratings.dat" ? badLine : "1::2::3::6");

        var error = Assert.Throws<DatasetFormatException>(() => MovieLensReader.Load(dir.Path));
        Assert.Equal(Path.Combine(dir.Path, file), error.FilePath);
        Assert.Equal(2, error.LineNumber);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Missing_directory_or_file_is_a_format_error_without_line()
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, "nope");
        var error = Assert.Throws<DatasetFormatException>(() => MovieLensReader.Load(missing));
        Assert.Equal(missing, error.FilePath);
        Assert.Equal(0, error.LineNumber);

        Assert.Throws<DatasetFormatException>(() => MovieLensReader.Load(dir.Path));

        dir.Write("u.data", "1\t10\t3\t1");
        dir.Write("u.genre", "unknown|0");
        error = Assert.Throws<DatasetFormatException>(() => MovieLensReader.Load(dir.Path));
        Assert.Equal(Path.Combine(dir.Path, "u.item"), error.FilePath);
        Assert.Equal(0, error.LineNumber);
    }

    [Fact]
    public void Synthetic_data_round_trips_through_the_1M_writer()
    {
        using var dir = new TempDirectory();
        var synthetic = SyntheticDataset.Generate(new SyntheticOptions { Seed = 3, Users = 40 }).Dataset;
        MovieLensWriter.Write1M(synthetic, dir.Path);
        var read = MovieLensReader.Load(dir.Path);

        Assert.Equal(synthetic.ItemIds, read.ItemIds);
        Assert.Equal(synthetic.ItemTexts, read.ItemTexts);
        Assert.Equal(synthetic.Users.Count, read.Users.Count);
        for (var u = 0; u < read.Users.Count; u++)
        {
            Assert.Equal(synthetic.Users[u].UserId, read.Users[u].UserId);
            Assert.Equal(synthetic.Users[u].Items, read.Users[u].Items);
            Assert.Equal(synthetic.Users[u].Timestamps, read.Users[u].Timestamps);
        }
    }
}
