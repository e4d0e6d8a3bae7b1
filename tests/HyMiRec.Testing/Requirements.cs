using System.Runtime.CompilerServices;

namespace HyMiRec.Testing;

/// <summary>
/// What some tests need that a machine may lack. A test without it reports itself skipped with the reason
/// (never returns early and passes): <see cref="PostgresFactAttribute"/>, or <c>Assert.SkipWhen</c> in the test.
/// </summary>
public static class Requirements
{
    public const string PostgresBin = "/usr/lib/postgresql/15/bin";

    /// <summary>Why a throw-away PostgreSQL server cannot be started here; null when it can.</summary>
    public static string? MissingPostgres { get; } = FindMissingPostgres();

    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The repository's root (where HyMiRec.sln is), found above the test's output folder.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>Whether this process runs as root (it can then start PostgreSQL as the postgres user).</summary>
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>A shared data set (shared/datasets/NAME) in a folder above the test's output folder, or null.</summary>
    public static string? FindDataset(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "datasets", name);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string? FindMissingPostgres()
    {
        if (!File.Exists(Path.Combine(PostgresBin, "pg_ctl")))
        {
            return $"PostgreSQL 15 is not installed ({PostgresBin}); `apt-get install -y postgresql` (or bash scripts/postgres.sh) installs it";
        }

        return IsRoot || Environment.UserName == "postgres"
            ? null
            : $"PostgreSQL refuses to run as root, so the tests start it as the postgres user with runuser, which needs root (running as {Environment.UserName})";
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HyMiRec.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("HyMiRec.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fact that starts a throw-away PostgreSQL: skipped, saying why, where that cannot be done.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        if (Requirements.MissingPostgres is { } reason)
        {
            Skip = reason;
        }
    }
}
