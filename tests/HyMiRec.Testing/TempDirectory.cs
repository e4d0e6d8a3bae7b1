using System.Text;

namespace HyMiRec.Testing;

/// <summary>A fresh directory under the system temp folder for files a test writes, removed on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hymirec-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes Latin-1, as MovieLens files are; lines are joined with '\n'.</summary>
    public string Write(string name, params string[] lines)
    {
        var file = File(name);
        System.IO.File.WriteAllText(file, string.Join('\n', lines) + "\n", Encoding.Latin1);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
