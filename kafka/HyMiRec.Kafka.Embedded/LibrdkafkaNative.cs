using System.Reflection;
using System.Runtime.InteropServices;

namespace HyMiRec.Kafka.Embedded;

/// <summary>
/// P/Invoke surface for the parts of librdkafka that Confluent.Kafka does not wrap (the in-process mock cluster).
/// The library is resolved against the same candidate files Confluent.Kafka itself tries, because the default
/// <c>librdkafka.so</c> of the redist package fails to load on hosts without <c>libsasl2.so.3</c> (Debian 12).
/// </summary>
internal static partial class LibrdkafkaNative
{
    private const string LibraryName = "librdkafka";
    private static readonly Lazy<LoadedLibrary> Library = new(LoadFirstCandidate);

    static LibrdkafkaNative()
    {
        NativeLibrary.SetDllImportResolver(typeof(LibrdkafkaNative).Assembly, Resolve);
    }

    /// <summary>Full path (or name) of the librdkafka file this process bound the mock API to.</summary>
    public static string LoadedPath => Library.Value.Path;

    /// <summary>Forces the library to load so a failure surfaces with the list of candidates tried.</summary>
    public static void EnsureLoaded() => _ = Library.Value;

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == LibraryName ? Library.Value.Handle : IntPtr.Zero;

    private static LoadedLibrary LoadFirstCandidate()
    {
        var failures = new List<string>();
        foreach (var candidate in Candidates())
        {
            try
            {
                return new LoadedLibrary(NativeLibrary.Load(candidate), candidate);
            }
            catch (DllNotFoundException e)
            {
                failures.Add($"{candidate}: {e.Message}");
            }
            catch (BadImageFormatException e)
            {
                failures.Add($"{candidate}: {e.Message}");
            }
        }

        throw new DllNotFoundException(
            "Could not load librdkafka for the embedded Kafka cluster. Tried, in order:" + Environment.NewLine +
            string.Join(Environment.NewLine, failures.Select(f => "  " + f)));
    }

    /// <summary>Redist files beside the app first (what Confluent.Kafka loads), then the system's librdkafka.</summary>
    internal static IEnumerable<string> Candidates()
    {
        var (rid, fileNames) = PlatformFiles();
        var folders = new[]
            {
                AppContext.BaseDirectory,
                Path.GetDirectoryName(typeof(Confluent.Kafka.Library).Assembly.Location) ?? string.Empty,
            }
            .Where(f => f.Length > 0)
            .Distinct(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            foreach (var name in fileNames)
            {
                var path = Path.Combine(folder, "runtimes", rid, "native", name);
                if (File.Exists(path))
                {
                    yield return path;
                }
            }

            foreach (var name in fileNames)
            {
                var path = Path.Combine(folder, name);
                if (File.Exists(path))
                {
                    yield return path;
                }
            }
        }

        yield return OperatingSystem.IsWindows() ? "librdkafka.dll" : OperatingSystem.IsMacOS() ? "librdkafka.dylib" : "librdkafka.so.1";
    }

    private static (string Rid, string[] FileNames) PlatformFiles()
    {
        var arch = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64" : "x64";
        if (OperatingSystem.IsWindows())
        {
            return ($"win-{arch}", ["librdkafka.dll"]);
        }

        if (OperatingSystem.IsMacOS())
        {
            return ($"osx-{arch}", ["librdkafka.dylib"]);
        }

        return ($"linux-{arch}", ["librdkafka.so", "centos8-librdkafka.so", "centos7-librdkafka.so", "alpine-librdkafka.so"]);
    }

    [LibraryImport(LibraryName)]
    internal static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_conf_set(IntPtr conf, string name, string value, IntPtr errstr, UIntPtr errstrSize);

    [LibraryImport(LibraryName)]
    internal static partial void rd_kafka_conf_destroy(IntPtr conf);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr rd_kafka_new(int type, IntPtr conf, IntPtr errstr, UIntPtr errstrSize);

    [LibraryImport(LibraryName)]
    internal static partial void rd_kafka_destroy(IntPtr rk);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCount);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_topic_create(IntPtr cluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(LibraryName)]
    internal static partial void rd_kafka_mock_cluster_destroy(IntPtr cluster);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr rd_kafka_err2str(int error);

    private sealed record LoadedLibrary(IntPtr Handle, string Path);
}
