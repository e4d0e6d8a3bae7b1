using System.Text;

namespace HyMiRec.Tests.Data;

/// <summary>A throwaway directory for dataset files written by a test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hymirec-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes Latin-1, as MovieLens files are; lines are joined with '\n'.</summary>
    public string Write(string name, params string[] lines)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, string.Join('\n', lines) + "\n", Encoding.Latin1);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
