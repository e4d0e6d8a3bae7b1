using System.Text;

namespace HyMiRec.Model.Data;

/// <summary>The non-blank lines of a dataset file with their 1-based numbers, so every reader can say where a line is.</summary>
internal static class DataLines
{
    public static IEnumerable<(string Line, int Number)> Read(string path, Encoding encoding)
    {
        // Checked before enumeration starts, so a missing file fails where the reader is called, not mid-loop.
        if (!File.Exists(path))
        {
            throw DatasetFormatException.ForFile(path, $"file not found: {path}");
        }

        return Enumerate(path, encoding);

        static IEnumerable<(string, int)> Enumerate(string path, Encoding encoding)
        {
            var number = 0;
            foreach (var line in File.ReadLines(path, encoding))
            {
                number++;
                if (!string.IsNullOrWhiteSpace(line))
                {
                    yield return (line, number);
                }
            }
        }
    }
}
