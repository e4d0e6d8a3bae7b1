namespace HyMiRec.Model.Data;

/// <summary>
/// A dataset directory, file or line that cannot be read. <see cref="LineNumber"/> is 1-based, or 0 when the
/// problem is not tied to one line (missing file, missing directory).
/// </summary>
public sealed class DatasetFormatException : Exception
{
    public DatasetFormatException()
        : this(string.Empty, 0, "dataset format error")
    {
    }

    public DatasetFormatException(string message)
        : this(string.Empty, 0, message)
    {
    }

    public DatasetFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        FilePath = string.Empty;
    }

    public DatasetFormatException(string filePath, int lineNumber, string message)
        : base(message)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
    }

    public string FilePath { get; }

    public int LineNumber { get; }

    /// <summary>Builds the "u.data line 17: ..." message from the file's name so callers see where to look.</summary>
    internal static DatasetFormatException AtLine(string filePath, int lineNumber, string problem) =>
        new(filePath, lineNumber, $"{Path.GetFileName(filePath)} line {lineNumber}: {problem}");

    internal static DatasetFormatException ForFile(string filePath, string problem) =>
        new(filePath, 0, $"{Path.GetFileName(filePath)}: {problem}");
}
