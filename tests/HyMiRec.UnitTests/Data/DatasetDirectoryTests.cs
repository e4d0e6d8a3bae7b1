using HyMiRec.Model.Data;

namespace HyMiRec.UnitTests.Data;

public sealed class DatasetDirectoryTests
{
    [Fact]
    public void Each_format_is_recognised_from_the_files()
    {
        using var recBole = new TempDirectory();
        var inter = recBole.Write("toy.inter", "user_id:token\titem_id:token", "1\t2");
        recBole.Write("notes.txt", "a file that is not two columns of data");
        Assert.Equal(new DatasetLocation(DatasetFormat.RecBole, inter), DatasetDirectory.Detect(recBole.Path));

        using var plain = new TempDirectory();
        var txt = plain.Write("ml-1m.txt", "1 1", "1 2");
        Assert.Equal(new DatasetLocation(DatasetFormat.Plain, txt), DatasetDirectory.Detect(plain.Path));
        Assert.Equal("ml-1m", DatasetDirectory.Load(plain.Path).Name);

        using var movieLens = new TempDirectory();
        movieLens.Write("movies.dat", "1::Heat (1995)::Action");
        movieLens.Write("ratings.dat", "1::1::3::5");
        Assert.Equal(DatasetFormat.MovieLens, DatasetDirectory.Detect(movieLens.Path).Format);
        Assert.Equal("ml-1m", DatasetDirectory.Load(movieLens.Path).Name);
    }

    [Fact]
    public void Two_datasets_in_one_directory_are_refused_by_name()
    {
        using var dir = new TempDirectory();
        dir.Write("a.inter", "user_id:token\titem_id:token", "1\t2");
        dir.Write("b.txt", "1 2");

        var error = Assert.Throws<DatasetFormatException>(() => DatasetDirectory.Detect(dir.Path));
        Assert.Equal(dir.Path, error.FilePath);
        Assert.Contains("more than one dataset (RecBole a.inter, Plain b.txt)", error.Message, StringComparison.Ordinal);

        dir.Write("c.inter", "user_id:token\titem_id:token", "1\t2");
        File.Delete(dir.File("b.txt"));
        error = Assert.Throws<DatasetFormatException>(() => DatasetDirectory.Detect(dir.Path));
        Assert.Contains("RecBole a.inter, RecBole c.inter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_or_missing_directory_says_where_and_what_was_looked_for()
    {
        using var dir = new TempDirectory();
        dir.Write("README.txt", "MovieLens is a data set of ratings");

        var error = Assert.Throws<DatasetFormatException>(() => DatasetDirectory.Load(dir.Path));
        Assert.Equal($"{dir.Path}: no dataset found; looked for {DatasetDirectory.LookedFor}", error.Message);
        Assert.Contains("u.data", DatasetDirectory.LookedFor, StringComparison.Ordinal);
        Assert.Contains("NAME.inter", DatasetDirectory.LookedFor, StringComparison.Ordinal);
        Assert.Contains("NAME.txt", DatasetDirectory.LookedFor, StringComparison.Ordinal);

        var missing = Path.Combine(dir.Path, "nope");
        error = Assert.Throws<DatasetFormatException>(() => DatasetDirectory.Load(missing));
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_dataset_written_in_each_format_reads_back_as_the_same_sequences()
    {
        var synthetic = SyntheticDataset.Generate(new SyntheticOptions { Seed = 4, Users = 20, Topics = 4, ItemsPerTopic = 8 }).Dataset;
        using var movieLens = new TempDirectory();
        MovieLensWriter.Write1M(synthetic, movieLens.Path);
        using var recBole = new TempDirectory();
        var events = synthetic.Users.SelectMany(u => u.Items.Select((item, i) => (User: u.UserId, Item: synthetic.ItemIds[item], Time: u.Timestamps[i]))).ToArray();
        recBole.Write("syn.inter", ["item_id:token\tuser_id:token\ttimestamp:float", .. events.Select(e => $"{e.Item}\t{e.User}\t{e.Time}")]);
        using var plain = new TempDirectory();
        plain.Write("syn.txt", [.. events.Select(e => $"{e.User} {e.Item}")]);

        var expected = Sequences(DatasetDirectory.Load(movieLens.Path));
        Assert.Equal(expected, Sequences(DatasetDirectory.Load(recBole.Path)));
        Assert.Equal(expected, Sequences(DatasetDirectory.Load(plain.Path)));
    }

    /// <summary>Each user's external item ids in order, keyed by external user id: what must not depend on the format.</summary>
    private static SortedDictionary<string, string> Sequences(InteractionDataset data) => new(
        data.Users.ToDictionary(u => u.UserId, u => string.Join(' ', u.Items.Select(i => data.ItemIds[i]))), StringComparer.Ordinal);
}
