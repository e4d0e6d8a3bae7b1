namespace HyMiRec.Model.Data;

/// <summary>The file formats a dataset directory can hold.</summary>
public enum DatasetFormat
{
    /// <summary>MovieLens 100K (u.data, u.item, u.genre) or 1M (ratings.dat, movies.dat): <see cref="MovieLensReader"/>.</summary>
    MovieLens,

    /// <summary>RecBole atomic files, one NAME.inter and an optional NAME.item: <see cref="RecBoleReader"/>.</summary>
    RecBole,

    /// <summary>One NAME.txt of "user item" lines (SASRec/BERT4Rec code): <see cref="PlainSequenceReader"/>.</summary>
    Plain,
}

/// <summary>Where in a directory the dataset is and in which format.</summary>
public sealed record DatasetLocation(DatasetFormat Format, string Path);

/// <summary>
/// Recognises a dataset directory by its contents, so users name a directory and never a format. Exactly one
/// dataset must be recognisable: two (or two files of one format) would make the choice a guess.
/// </summary>
public static class DatasetDirectory
{
    public const string LookedFor = "MovieLens (u.data or ratings.dat), RecBole (one NAME.inter, optional NAME.item) " +
        "or plain SASRec-style (one NAME.txt of 'user item' lines)";

    public static InteractionDataset Load(string directory)
    {
        var found = Detect(directory);
        return found.Format switch
        {
            DatasetFormat.MovieLens => MovieLensReader.Load(found.Path),
            DatasetFormat.RecBole => RecBoleReader.Load(found.Path),
            _ => PlainSequenceReader.Load(found.Path),
        };
    }

    public static DatasetLocation Detect(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DatasetFormatException(directory, 0, $"dataset directory not found: {directory}");
        }

        var found = new List<DatasetLocation>();
        if (File.Exists(Path.Combine(directory, "u.data")) || File.Exists(Path.Combine(directory, "ratings.dat")))
        {
            found.Add(new DatasetLocation(DatasetFormat.MovieLens, directory));
        }

        found.AddRange(Files(directory, RecBoleReader.InterExtension).Select(f => new DatasetLocation(DatasetFormat.RecBole, f)));
        found.AddRange(Files(directory, PlainSequenceReader.Extension).Where(PlainSequenceReader.LooksLikePlain)
            .Select(f => new DatasetLocation(DatasetFormat.Plain, f)));
        return found.Count switch
        {
            1 => found[0],
            0 => throw new DatasetFormatException(directory, 0, $"{directory}: no dataset found; looked for {LookedFor}"),
            _ => throw new DatasetFormatException(directory, 0, $"{directory}: more than one dataset ({string.Join(", ", found.Select(Describe))}); " +
                "keep one per directory"),
        };
    }

    private static IEnumerable<string> Files(string directory, string extension) =>
        Directory.GetFiles(directory, "*" + extension).Where(f => f.EndsWith(extension, StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    private static string Describe(DatasetLocation location) => location.Format == DatasetFormat.MovieLens
        ? "MovieLens files"
        : $"{location.Format} {Path.GetFileName(location.Path)}";
}
