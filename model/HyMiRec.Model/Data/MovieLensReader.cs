using System.Globalization;
using System.Text;

namespace HyMiRec.Model.Data;

/// <summary>
/// Reads MovieLens 100K (u.data, u.item, u.genre) or 1M (ratings.dat, movies.dat) as implicit feedback: every
/// rating is an interaction. Items keep the item file's order (dense indices 1..N, unrated items included), users
/// are ordered by numeric id, and each user's items are sorted by time with ties kept in file order.
/// </summary>
public static class MovieLensReader
{
    public const string Name100K = "ml-100k";
    public const string Name1M = "ml-1m";

    public static InteractionDataset Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DatasetFormatException(directory, 0, $"dataset directory not found: {directory}");
        }

        if (File.Exists(Path.Combine(directory, "u.data")))
        {
            return Load100K(directory);
        }

        if (File.Exists(Path.Combine(directory, "ratings.dat")))
        {
            return Load1M(directory);
        }

        throw new DatasetFormatException(
            directory, 0, $"{directory}: neither u.data (MovieLens 100K) nor ratings.dat (MovieLens 1M) found");
    }

    private static InteractionDataset Load100K(string directory)
    {
        var genres = ReadGenres(Path.Combine(directory, "u.genre"));
        var catalog = new Catalog();
        var itemPath = Path.Combine(directory, "u.item");
        var expected = 5 + genres.Length;
        foreach (var (line, number) in Lines(itemPath))
        {
            var fields = line.Split('|');
            if (fields.Length != expected)
            {
                throw DatasetFormatException.AtLine(itemPath, number, $"expected {expected} |-separated fields, got {fields.Length}");
            }

            var id = ParseInt(fields[0], itemPath, number, "item id");
            var names = new List<string>();
            for (var g = 0; g < genres.Length; g++)
            {
                var flag = fields[5 + g].Trim();
                if (flag == "1")
                {
                    names.Add(genres[g]);
                }
                else if (flag != "0")
                {
                    throw DatasetFormatException.AtLine(itemPath, number, $"genre flag {g} must be 0 or 1, got '{flag}'");
                }
            }

            catalog.Add(id, fields[1], names, itemPath, number);
        }

        var ratings = ReadRatings(Path.Combine(directory, "u.data"), line => line.Split('\t'), "tab-separated", catalog);
        return Build(Name100K, catalog, ratings);
    }

    private static InteractionDataset Load1M(string directory)
    {
        var catalog = new Catalog();
        var moviePath = Path.Combine(directory, "movies.dat");
        foreach (var (line, number) in Lines(moviePath))
        {
            var fields = line.Split("::");
            if (fields.Length != 3)
            {
                throw DatasetFormatException.AtLine(moviePath, number, $"expected 3 ::-separated fields, got {fields.Length}");
            }

            var id = ParseInt(fields[0], moviePath, number, "movie id");
            var names = fields[2].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            catalog.Add(id, fields[1], names, moviePath, number);
        }

        var ratings = ReadRatings(Path.Combine(directory, "ratings.dat"), line => line.Split("::"), "::-separated", catalog);
        return Build(Name1M, catalog, ratings);
    }

    /// <summary>u.genre lists "name|index"; the index is the position of the genre's flag in u.item.</summary>
    private static string[] ReadGenres(string path)
    {
        var byIndex = new SortedDictionary<int, string>();
        foreach (var (line, number) in Lines(path))
        {
            var fields = line.Split('|');
            if (fields.Length != 2)
            {
                throw DatasetFormatException.AtLine(path, number, $"expected 2 |-separated fields, got {fields.Length}");
            }

            var index = ParseInt(fields[1], path, number, "genre index");
            if (index < 0 || !byIndex.TryAdd(index, fields[0].Trim()))
            {
                throw DatasetFormatException.AtLine(path, number, $"genre index {index} is negative or repeated");
            }
        }

        if (byIndex.Count == 0 || byIndex.Keys.Last() != byIndex.Count - 1)
        {
            throw DatasetFormatException.ForFile(path, "genre indices must be 0..G-1 with none missing");
        }

        return [.. byIndex.Values];
    }

    private static Dictionary<int, List<(long Time, int Item)>> ReadRatings(
        string path, Func<string, string[]> split, string separatorName, Catalog catalog)
    {
        var byUser = new Dictionary<int, List<(long Time, int Item)>>();
        foreach (var (line, number) in Lines(path))
        {
            var fields = split(line);
            if (fields.Length != 4)
            {
                throw DatasetFormatException.AtLine(path, number, $"expected 4 {separatorName} fields, got {fields.Length}");
            }

            var user = ParseInt(fields[0], path, number, "user id");
            var itemId = ParseInt(fields[1], path, number, "item id");
            if (!double.TryParse(fields[2].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                throw DatasetFormatException.AtLine(path, number, $"rating is not a number: '{fields[2]}'");
            }

            if (!long.TryParse(fields[3].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var time))
            {
                throw DatasetFormatException.AtLine(path, number, $"timestamp is not an integer: '{fields[3]}'");
            }

            if (!catalog.IndexById.TryGetValue(itemId, out var item))
            {
                throw DatasetFormatException.AtLine(path, number, $"item {itemId} is not in the item file");
            }

            if (!byUser.TryGetValue(user, out var list))
            {
                list = [];
                byUser.Add(user, list);
            }

            list.Add((time, item));
        }

        return byUser;
    }

    private static InteractionDataset Build(string name, Catalog catalog, Dictionary<int, List<(long Time, int Item)>> byUser)
    {
        var users = new List<UserSequence>(byUser.Count);
        foreach (var user in byUser.Keys.Order())
        {
            // OrderBy is stable, so equal timestamps keep the order the lines had in the file.
            var events = byUser[user].OrderBy(e => e.Time).ToArray();
            users.Add(new UserSequence(
                user.ToString(CultureInfo.InvariantCulture),
                [.. events.Select(e => e.Item)],
                [.. events.Select(e => e.Time)]));
        }

        return new InteractionDataset(name, [.. catalog.Ids], [.. catalog.Texts], users);
    }

    private static IEnumerable<(string Line, int Number)> Lines(string path) => DataLines.Read(path, Encoding.Latin1);

    private static int ParseInt(string field, string path, int number, string what)
    {
        if (!int.TryParse(field.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw DatasetFormatException.AtLine(path, number, $"{what} is not an integer: '{field}'");
        }

        return value;
    }

    /// <summary>Items in file order; slot 0 is the padding item.</summary>
    private sealed class Catalog
    {
        public List<string> Ids { get; } = [string.Empty];

        public List<string> Texts { get; } = [string.Empty];

        public Dictionary<int, int> IndexById { get; } = [];

        public void Add(int id, string title, IReadOnlyList<string> genres, string path, int number)
        {
            if (!IndexById.TryAdd(id, Ids.Count))
            {
                throw DatasetFormatException.AtLine(path, number, $"item id {id} appears more than once");
            }

            Ids.Add(id.ToString(CultureInfo.InvariantCulture));
            Texts.Add(ItemText(title.Trim(), genres));
        }
    }

    /// <summary>The text a text encoder sees: "title | genre, genre" (just the title when there are no genres).</summary>
    public static string ItemText(string title, IReadOnlyList<string> genres) =>
        genres.Count == 0 ? title : title + " | " + string.Join(", ", genres);
}
