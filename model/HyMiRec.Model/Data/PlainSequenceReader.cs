using System.Text;

namespace HyMiRec.Model.Data;

/// <summary>
/// Reads the "user item" per line files of the public SASRec and BERT4Rec code (NAME.txt, whitespace-separated).
/// They carry no timestamps: line order is time order, so each event's 1-based line number is its timestamp.
/// Items have no text.
/// </summary>
public static class PlainSequenceReader
{
    public const string Extension = ".txt";

    public static InteractionDataset Load(string path)
    {
        var builder = new SequenceBuilder();
        foreach (var (line, number) in DataLines.Read(path, Encoding.UTF8))
        {
            var fields = Fields(line);
            if (fields.Length != 2)
            {
                throw DatasetFormatException.AtLine(path, number, $"expected 2 whitespace-separated fields (user item), got {fields.Length}");
            }

            builder.AddEvent(fields[0], fields[1], number);
        }

        return builder.Build(Path.GetFileNameWithoutExtension(path), path);
    }

    /// <summary>Whether the file's first non-blank line has the two fields of this format (how a directory is recognised).</summary>
    public static bool LooksLikePlain(string path) =>
        DataLines.Read(path, Encoding.UTF8).Select(l => Fields(l.Line).Length).FirstOrDefault() == 2;

    private static string[] Fields(string line) => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
