using System.Globalization;
using System.Text;

namespace HyMiRec.Model.Data;

/// <summary>
/// Reads RecBole atomic files: NAME.inter (tab-separated, a header of name:type fields, user_id and item_id
/// required, timestamp optional, other columns ignored, any column order) and, when present, NAME.item, whose
/// item_id keys the item and whose other token and token_seq columns, joined with " | ", are the item text.
/// Without a timestamp column the file's line order is each user's time order.
/// </summary>
public static class RecBoleReader
{
    public const string InterExtension = ".inter";
    public const string ItemExtension = ".item";

    private const string UserField = "user_id";
    private const string ItemField = "item_id";
    private const string TimeField = "timestamp";
    private static readonly string[] Types = ["token", "token_seq", "float", "float_seq"];

    public static InteractionDataset Load(string interPath)
    {
        var builder = new SequenceBuilder();
        var itemPath = Path.ChangeExtension(interPath, ItemExtension);
        if (File.Exists(itemPath))
        {
            ReadItems(itemPath, builder);
        }

        ReadInteractions(interPath, builder);
        return builder.Build(Path.GetFileNameWithoutExtension(interPath), interPath);
    }

    private static void ReadInteractions(string path, SequenceBuilder builder)
    {
        using var lines = DataLines.Read(path, Encoding.UTF8).GetEnumerator();
        var header = Header.Read(lines, path);
        var user = header.Require(UserField);
        var item = header.Require(ItemField);
        var time = header.Find(TimeField);
        while (lines.MoveNext())
        {
            var (line, number) = lines.Current;
            var fields = header.Split(line, number);
            var at = time < 0 ? number : ParseTime(fields[time], path, number);
            builder.AddEvent(Token(fields[user], UserField, path, number), Token(fields[item], ItemField, path, number), at);
        }
    }

    private static void ReadItems(string path, SequenceBuilder builder)
    {
        using var lines = DataLines.Read(path, Encoding.UTF8).GetEnumerator();
        var header = Header.Read(lines, path);
        var key = header.Require(ItemField);
        var text = Enumerable.Range(0, header.Columns.Length)
            .Where(c => c != key && header.Columns[c].Type is "token" or "token_seq")
            .ToArray();
        while (lines.MoveNext())
        {
            var (line, number) = lines.Current;
            var fields = header.Split(line, number);
            var id = Token(fields[key], ItemField, path, number);
            var words = text.Select(c => fields[c].Trim()).Where(w => w.Length > 0);
            if (!builder.AddItem(id, string.Join(" | ", words)))
            {
                throw DatasetFormatException.AtLine(path, number, $"item {id} appears more than once");
            }
        }
    }

    private static double ParseTime(string field, string path, int number) =>
        double.TryParse(field.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw DatasetFormatException.AtLine(path, number, $"{TimeField} is not a number: '{field}'");

    private static string Token(string field, string name, string path, int number)
    {
        var token = field.Trim();
        return token.Length > 0 ? token : throw DatasetFormatException.AtLine(path, number, $"{name} is empty");
    }

    /// <summary>The first line of an atomic file: tab-separated name:type columns.</summary>
    private sealed record Header(string Path, int Number, (string Name, string Type)[] Columns)
    {
        public static Header Read(IEnumerator<(string Line, int Number)> lines, string path)
        {
            if (!lines.MoveNext())
            {
                throw DatasetFormatException.ForFile(path, "empty file, expected a header of name:type columns");
            }

            var (line, number) = lines.Current;
            var columns = line.Split('\t').Select(column =>
            {
                var parts = column.Trim().Split(':');
                return parts.Length == 2 && parts[0].Length > 0 && Types.Contains(parts[1])
                    ? (parts[0], parts[1])
                    : throw DatasetFormatException.AtLine(path, number,
                        $"header column '{column}' is not name:type with type {string.Join(", ", Types)}");
            }).ToArray();
            return new Header(path, number, columns);
        }

        public int Find(string name) => Array.FindIndex(Columns, c => c.Name == name);

        public int Require(string name)
        {
            var index = Find(name);
            return index >= 0 ? index : throw DatasetFormatException.AtLine(Path, Number,
                $"no {name} column (columns: {string.Join(", ", Columns.Select(c => c.Name))})");
        }

        public string[] Split(string line, int number)
        {
            var fields = line.Split('\t');
            return fields.Length == Columns.Length ? fields
                : throw DatasetFormatException.AtLine(Path, number, $"expected {Columns.Length} tab-separated fields, got {fields.Length}");
        }
    }
}
