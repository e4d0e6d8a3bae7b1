using System.Text;
using System.Text.RegularExpressions;

namespace HyMiRec.Model.Serving;

/// <summary>
/// A directory of immutable model versions: <c>versions/&lt;version&gt;/</c> (an artifact as
/// <see cref="InterestModelStore"/> writes it) and a <c>CURRENT</c> file naming the version silos serve. A version
/// is written under <c>versions/.staging-*</c>, checked, then renamed into place; <c>CURRENT</c> is replaced by a
/// rename too, and only ever names a version whose hashes check out, so a reader never sees a partial model.
/// </summary>
public sealed partial class ModelStore
{
    public const string CurrentFile = "CURRENT";
    private const string StagingPrefix = ".staging-";

    public ModelStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string VersionsDirectory => Path.Combine(Root, "versions");

    public string DirectoryOf(string version) => IsVersionName(version) ? Path.Combine(VersionsDirectory, version)
        : throw new ArgumentException($"'{version}' is not a model version name", nameof(version));

    /// <summary>The version <c>CURRENT</c> names, or null when nothing has been published yet.</summary>
    public string? CurrentVersion()
    {
        var path = Path.Combine(Root, CurrentFile);
        if (!File.Exists(path))
        {
            return null;
        }

        var version = File.ReadAllText(path, Encoding.UTF8).Trim();
        return IsVersionName(version) ? version
            : throw new InvalidDataException($"{path}: '{version}' is not a model version name");
    }

    /// <summary>Published versions, oldest first (version names start with their UTC creation time).</summary>
    public IReadOnlyList<string> Versions() => Directory.Exists(VersionsDirectory)
        ? [.. Directory.EnumerateDirectories(VersionsDirectory).Select(Path.GetFileName).OfType<string>().Where(IsVersionName).Order(StringComparer.Ordinal)]
        : [];

    /// <summary>A fresh private directory to write a new version into, on the same file system as the versions.</summary>
    public string CreateStaging()
    {
        var path = Path.Combine(VersionsDirectory, StagingPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// Checks the artifact in <paramref name="staging"/> and moves it to <c>versions/&lt;its version&gt;</c>;
    /// it does not become current (see <see cref="SetCurrent"/>).
    /// </summary>
    public ModelManifest AddVersion(string staging)
    {
        var manifest = InterestModelStore.Verify(staging);
        var target = DirectoryOf(manifest.ModelVersion);
        if (Directory.Exists(target))
        {
            throw new IOException($"model version {manifest.ModelVersion} exists already at {target}; versions are immutable");
        }

        Directory.Move(staging, target);
        return manifest;
    }

    /// <summary>Points <c>CURRENT</c> at <paramref name="version"/> after checking every file of it.</summary>
    public ModelManifest SetCurrent(string version)
    {
        var manifest = InterestModelStore.Verify(DirectoryOf(version));
        if (manifest.ModelVersion != version)
        {
            throw new InvalidDataException($"{DirectoryOf(version)}: the manifest names version {manifest.ModelVersion}");
        }

        var path = Path.Combine(Root, CurrentFile);
        var temporary = Path.Combine(Root, $"{CurrentFile}.{Guid.NewGuid():N}.tmp");
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
        {
            stream.Write(Encoding.UTF8.GetBytes(version + "\n"));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        return manifest;
    }

    /// <summary>Removes staging directories left by writers that died (never a published version).</summary>
    public int RemoveAbandonedStaging(TimeSpan olderThan)
    {
        if (!Directory.Exists(VersionsDirectory))
        {
            return 0;
        }

        var removed = 0;
        foreach (var directory in Directory.EnumerateDirectories(VersionsDirectory, StagingPrefix + "*"))
        {
            if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(directory) > olderThan)
            {
                Directory.Delete(directory, recursive: true);
                removed++;
            }
        }

        return removed;
    }

    public static bool IsVersionName(string name) => VersionName().IsMatch(name);

    [GeneratedRegex(@"^[0-9A-Za-z][0-9A-Za-z._-]{0,127}$")]
    private static partial Regex VersionName();
}
