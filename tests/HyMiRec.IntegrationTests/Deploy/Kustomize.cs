using System.Diagnostics;
using System.Runtime.CompilerServices;
using HyMiRec.Hosting;
using HyMiRec.Testing.Deploy;
using Microsoft.AspNetCore.Routing;

namespace HyMiRec.IntegrationTests.Deploy;

/// <summary>Renders the k8s/ overlays with `kubectl kustomize` (offline; no cluster needed).</summary>
internal static class Kustomize
{
    public const string MissingKubectl = "kubectl is not installed (scripts/setup.sh installs it with apt-get); the k8s/ manifests were not rendered";

    private static readonly Lazy<IReadOnlySet<string>> Routes = new(ReadSiloRoutes);

    public static string? Kubectl { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(d => Path.Combine(d, "kubectl")).FirstOrDefault(File.Exists);

    public static string RepositoryRoot => Requirements.RepositoryRoot;

    public static IEnumerable<object[]> Overlays() =>
        Directory.GetDirectories(Path.Combine(RepositoryRoot, "k8s", "overlays")).Select(d => new object[] { Path.GetFileName(d) });

    /// <summary>HTTP paths the silo maps (read from the real host's endpoints, not a list kept here).</summary>
    public static IReadOnlySet<string> SiloPaths => Routes.Value;

    public static IReadOnlyList<Manifest> Render(string overlay)
    {
        var start = new ProcessStartInfo(Kubectl ?? throw new InvalidOperationException(MissingKubectl))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "k8s", "overlays", overlay));
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var yaml = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"kubectl kustomize k8s/overlays/{overlay} failed: {stderr.Result}");
        var (objects, problems) = Manifest.ParseAll(yaml);
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        return objects;
    }

    private static HashSet<string> ReadSiloRoutes()
    {
        // Built, never started: only the endpoint table is read.
        var app = ServingApp.Build(["--Model:ArtifactDirectory=" + Path.GetTempPath()]);
        try
        {
            return ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
                .Select(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/')).ToHashSet(StringComparer.Ordinal);
        }
        finally
        {
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}

/// <summary>A fact that needs kubectl: skipped, saying why, where it is missing.</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        if (Kustomize.Kubectl is null)
        {
            Skip = Kustomize.MissingKubectl;
        }
    }
}

/// <summary>A theory that needs kubectl: skipped, saying why, where it is missing.</summary>
public sealed class KubectlTheoryAttribute : TheoryAttribute
{
    public KubectlTheoryAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        if (Kustomize.Kubectl is null)
        {
            Skip = Kustomize.MissingKubectl;
        }
    }
}
