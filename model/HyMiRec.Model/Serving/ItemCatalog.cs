using System.Text;

namespace HyMiRec.Model.Serving;

/// <summary>External item ids and texts by dense index (index 0 is padding), with the reverse lookup.</summary>
public sealed class ItemCatalog
{
    private readonly Dictionary<string, int> _indexById;

    public ItemCatalog(string[] itemIds, string[] itemTexts)
    {
        if (itemIds.Length != itemTexts.Length || itemIds.Length == 0)
        {
            throw new ArgumentException("itemIds and itemTexts must have the same length (ItemCount + 1, index 0 = padding)");
        }

        ItemIds = itemIds;
        ItemTexts = itemTexts;
        _indexById = new Dictionary<string, int>(itemIds.Length, StringComparer.Ordinal);
        for (var i = 1; i < itemIds.Length; i++)
        {
            if (!_indexById.TryAdd(itemIds[i], i))
            {
                throw new ArgumentException($"duplicate item id '{itemIds[i]}' at index {i}");
            }
        }
    }

    public string[] ItemIds { get; }

    public string[] ItemTexts { get; }

    public int ItemCount => ItemIds.Length - 1;

    public bool TryGetIndex(string itemId, out int index) => _indexById.TryGetValue(itemId, out index);

    /// <summary>
    /// This catalog with <paramref name="updates"/> applied: known ids get the new text, unknown ids are appended in
    /// order, so every existing index keeps its meaning.
    /// </summary>
    public ItemCatalog With(IEnumerable<(string ItemId, string Text)> updates)
    {
        var ids = new List<string>(ItemIds);
        var texts = new List<string>(ItemTexts);
        var index = new Dictionary<string, int>(_indexById, StringComparer.Ordinal);
        foreach (var (id, text) in updates)
        {
            if (index.TryGetValue(id, out var existing))
            {
                texts[existing] = text;
            }
            else
            {
                index[id] = ids.Count;
                ids.Add(id);
                texts.Add(text);
            }
        }

        return new ItemCatalog([.. ids], [.. texts]);
    }

    /// <summary>Writes "id&lt;TAB&gt;text" lines (UTF-8, tabs, newlines and backslashes escaped), index order.</summary>
    public void WriteTsv(string path)
    {
        var text = new StringBuilder();
        for (var i = 1; i <= ItemCount; i++)
        {
            text.Append(Escape(ItemIds[i])).Append('\t').Append(Escape(ItemTexts[i])).Append('\n');
        }

        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
    }

    /// <summary>Reads a file <see cref="WriteTsv"/> wrote; errors name the file and line.</summary>
    public static ItemCatalog ReadTsv(string path)
    {
        var ids = new List<string> { string.Empty };
        var texts = new List<string> { string.Empty };
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: expected 'id<TAB>text'");
            }

            ids.Add(Unescape(line[..tab]));
            texts.Add(Unescape(line[(tab + 1)..]));
        }

        try
        {
            return new ItemCatalog([.. ids], [.. texts]);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\t", "\\t", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Unescape(string value)
    {
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
                text.Append(value[i] switch { 't' => '\t', 'n' => '\n', _ => value[i] });
            }
            else
            {
                text.Append(value[i]);
            }
        }

        return text.ToString();
    }
}
