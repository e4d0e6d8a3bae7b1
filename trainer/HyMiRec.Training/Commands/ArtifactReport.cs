using System.CommandLine;
using System.Text.Json;

namespace HyMiRec.Training.Commands;

/// <summary>What the commands that analyse a trained artifact share: its directory option and the optional JSON copy of the report.</summary>
public static class ArtifactReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static Option<DirectoryInfo> ModelOption() =>
        new("--model") { Description = "Artifact directory (trainer train --out)", Required = true };

    public static Option<FileInfo?> OutputOption() => new("--out") { Description = "Also write the figures as JSON" };

    /// <summary>Writes <paramref name="report"/> as indented JSON to <paramref name="file"/> when one was named, and says so.</summary>
    public static void WriteJson<T>(FileInfo? file, T report, TextWriter stdout)
    {
        if (file is null)
        {
            return;
        }

        File.WriteAllText(file.FullName, JsonSerializer.Serialize(report, Json));
        stdout.WriteLine($"wrote {file.FullName}");
    }
}
